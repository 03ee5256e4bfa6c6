/**
 * Parsing: `lesson.yaml` and episode markdown into the typed model of `src/protocol/lesson.ts`.
 *
 * markdown-it turns an episode into its block token stream (front matter and div lines included,
 * see `markdown.ts`). Here the top-level tokens are grouped into blocks, the div lines are paired
 * into a tree with a stack, and the tree is read into episode blocks and challenges. Markdown is
 * kept as source lines, so the panel renders exactly what the author wrote.
 *
 * Problems that one file shows on its own (an unknown div, a challenge without a solution, a bad
 * check block) are found here; those that need other files (does the starter exist, does the
 * solution fill its blanks) are in `validate.ts`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import type { Token } from "markdown-it";
import { DATASET_NAMES, type DatasetName } from "../protocol/modelSpec";
import type { CalloutKind, Challenge, Episode, EpisodeBlock, LessonLocation, LessonProblem } from "../protocol/lesson";
import { createLessonMarkdownIt, safeDecode, type DivAttribute, type DivOpenMeta } from "./markdown";
import { parseCheckBlock, type ParsedCheckBlock } from "./checkSpec";
import { closestName } from "./suggest";
import { yamlErrorMessage } from "./yamlErrors";

export const CALLOUT_KINDS: readonly CalloutKind[] = ["callout", "discussion", "caution", "testimonial"];
const LIST_DIVS = ["questions", "objectives", "keypoints"] as const;
type ListDiv = (typeof LIST_DIVS)[number];
export const KNOWN_DIVS: readonly string[] = [...LIST_DIVS, ...CALLOUT_KINDS, "challenge", "hint", "solution"];
const CHALLENGE_ATTRIBUTES = ["id", "starter", "solution"];

/** A challenge with what validation needs beyond the model: where each of its parts was written. */
export interface ParsedChallenge {
  challenge: Challenge;
  /** Where the id attribute's value is (or the opening line, when there is none). */
  idLocation: LessonLocation;
  starterLocation?: LessonLocation;
  solutionLocation?: LessonLocation;
  check?: ParsedCheckBlock;
  checkLocation?: LessonLocation;
}

export interface ImageReference {
  /** As written (percent-decoded), relative to the episode file. */
  src: string;
  location: LessonLocation;
}

export interface ParsedEpisode {
  episode: Episode;
  challenges: ParsedChallenge[];
  images: ImageReference[];
  problems: LessonProblem[];
  /** Words of prose (text outside code), for `lint-lesson --stats`. */
  words: number;
}

interface BlockNode {
  type: "block";
  tokens: Token[];
  /** 0-based lines, end exclusive. */
  start: number;
  end: number;
}

interface DivNode {
  type: "div";
  name: string;
  meta: DivOpenMeta;
  /** 0-based line of the opening line; of the closing line, undefined when it never closes. */
  open: number;
  close: number | undefined;
  children: TreeNode[];
  parent: DivNode | undefined;
}

type TreeNode = BlockNode | DivNode;

const markdownIt = createLessonMarkdownIt();

/** What every phase reads and where it reports: the episode's lines and its problem list. */
interface EpisodeReader {
  file: string;
  lines: string[];
  problems: LessonProblem[];
}

const locate = (reader: EpisodeReader, line0: number, column0 = 0): LessonLocation => ({ file: reader.file, line: line0 + 1, column: column0 + 1 });

function report(reader: EpisodeReader, location: LessonLocation, message: string, severity: LessonProblem["severity"] = "error"): void {
  reader.problems.push({ location, message, severity });
}

/** Where a div's name is written (or its first colon), for problems about the div. */
const divLocation = (reader: EpisodeReader, div: DivNode): LessonLocation => locate(reader, div.open, div.meta.nameColumn);

/**
 * An episode file in five phases: the token stream into a tree of blocks and divs, where each div
 * may be, the front matter, the top-level content (markdown, lists, callouts, challenges), and
 * the episode model. Each phase reports its own problems with file:line:column.
 */
export function parseEpisode(rawSource: string, file: string, id: string, index: number): ParsedEpisode {
  const source = rawSource.replace(/\r\n?/g, "\n");
  const reader: EpisodeReader = { file, lines: source.split("\n"), problems: [] };
  const tokens = markdownIt.parse(source, {});
  const { root, frontMatter } = buildTree(reader, tokens);
  checkPlacement(reader, root);
  const meta = readFrontMatter(reader, frontMatter);
  const content = readContent(reader, root, id);
  const episode: Episode = {
    id,
    index,
    ...meta,
    ...content.lists,
    blocks: content.blocks,
    challenges: content.challenges.map((p) => p.challenge),
    location: locate(reader, 0),
  };
  return { episode, challenges: content.challenges, images: findImages(tokens, reader.lines, file), problems: reader.problems, words: countWords(tokens) };
}

/** Phase 1: top-level tokens grouped into blocks, div lines paired into a tree with a stack. */
function buildTree(reader: EpisodeReader, tokens: Token[]): { root: TreeNode[]; frontMatter: Token | undefined } {
  const root: TreeNode[] = [];
  const stack: DivNode[] = [];
  const childrenOf = (): TreeNode[] => stack[stack.length - 1]?.children ?? root;
  let frontMatter: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "front_matter") {
      frontMatter = token;
    } else if (token.type === "div_open") {
      const node = openDiv(reader, token, stack[stack.length - 1]);
      childrenOf().push(node);
      stack.push(node);
    } else if (token.type === "div_close") {
      const node = stack.pop();
      if (node) node.close = token.map![0];
      else report(reader, locate(reader, token.map![0]), "this `:::` line closes no div: there is no open div above it");
    } else {
      const group = blockTokens(tokens, i);
      i += group.length - 1;
      const map = token.map ?? [0, 0];
      childrenOf().push({ type: "block", tokens: group, start: map[0], end: map[1] });
    }
  }
  for (const node of stack) {
    report(reader, divLocation(reader, node), `the \`${node.name || "div"}\` div opened here is never closed; close it with a \`:::\` line`);
  }
  return { root, frontMatter };
}

function openDiv(reader: EpisodeReader, token: Token, parent: DivNode | undefined): DivNode {
  const meta = token.meta as DivOpenMeta;
  const open = token.map![0];
  if (meta.error) report(reader, locate(reader, open, meta.error.column), meta.error.message);
  return { type: "div", name: meta.name, meta, open, close: undefined, children: [], parent };
}

/** A top-level block from `tokens[start]`: one token (fence, hr, code block) or an open token up to its close. */
function blockTokens(tokens: Token[], start: number): Token[] {
  const group: Token[] = [tokens[start]!];
  let depth = tokens[start]!.nesting === 1 ? 1 : 0;
  for (let i = start + 1; depth > 0 && i < tokens.length; i++) {
    group.push(tokens[i]!);
    depth += tokens[i]!.nesting;
  }
  return group;
}

const isHeading3 = (node: TreeNode): node is BlockNode => node.type === "block" && node.tokens[0]?.type === "heading_open" && node.tokens[0].tag === "h3";
const headingText = (node: BlockNode): string => node.tokens.find((t) => t.type === "inline")?.content.trim() ?? "";
const isCheckFence = (node: TreeNode): node is BlockNode =>
  node.type === "block" && node.tokens[0]?.type === "fence" && node.tokens[0].info.trim().split(/\s+/)[0] === "check";
const isListDiv = (name: string): name is ListDiv => (LIST_DIVS as readonly string[]).includes(name);
const isCallout = (name: string | undefined): name is CalloutKind => name !== undefined && (CALLOUT_KINDS as readonly string[]).includes(name);

/**
 * Phase 2: where each div may be, checked over the whole tree. An explicit stack rather than
 * recursion, so that a file of deeply nested divs gets its problems, not a stack overflow.
 */
function checkPlacement(reader: EpisodeReader, root: TreeNode[]): void {
  const pendingLevels: { nodes: TreeNode[]; parent: DivNode | undefined }[] = [{ nodes: root, parent: undefined }];
  for (let level = pendingLevels.pop(); level !== undefined; level = pendingLevels.pop()) {
    const { nodes, parent } = level;
    for (const node of nodes) {
      if (node.type === "block") {
        if (isCheckFence(node) && parent?.name !== "challenge") report(reader, locate(reader, node.start), "a ```check block belongs directly inside a `challenge` div");
        continue;
      }
      const misplaced = placementProblem(node.name, parent?.name);
      if (misplaced) report(reader, divLocation(reader, node), misplaced);
      if (node.name && node.meta.attrs.length > 0 && node.name !== "challenge") {
        report(reader, locate(reader, node.open, node.meta.attrs[0]!.keyColumn), `the \`${node.name}\` div takes no attributes`);
      }
      pendingLevels.push({ nodes: node.children, parent: node });
    }
  }
}

/** What is wrong with a div called `name` inside one called `parent` (undefined: at the top level), if anything. */
function placementProblem(name: string, parent: string | undefined): string | undefined {
  // A div line without a name was reported when it was read.
  if (!name) return undefined;
  if (!KNOWN_DIVS.includes(name)) {
    const near = closestName(name, KNOWN_DIVS);
    return `unknown div \`${name}\`${near ? `; did you mean \`${near}\`?` : `; known divs: ${KNOWN_DIVS.join(", ")}`}`;
  }
  // A callout that asks the reader to predict something keeps its answer in a fold.
  if (name === "solution" && isCallout(parent)) return undefined;
  if (name === "hint" || name === "solution") {
    return parent === "challenge" ? undefined : `a \`${name}\` div belongs inside a \`challenge\` div${parent ? `, not inside \`${parent}\`` : ""}`;
  }
  if (parent === undefined) return undefined;
  if (isListDiv(name) || name === "challenge") return `a \`${name}\` div belongs at the top level of the episode, not inside \`${parent}\``;
  if (isListDiv(parent)) return `\`${parent}\` holds one bullet list, not a \`${name}\` div`;
  if (isCallout(parent)) return `a \`${name}\` div cannot be inside \`${parent}\`; put it after it`;
  return undefined;
}

type FrontMatter = Pick<Episode, "title" | "teachingMinutes" | "exerciseMinutes" | "trainingMinutes">;

/** Phase 3: the front matter's `title`, `teaching`, `exercises` and `training`. */
function readFrontMatter(reader: EpisodeReader, frontMatter: Token | undefined): FrontMatter {
  const meta: FrontMatter = { title: "", teachingMinutes: 0, exerciseMinutes: 0 };
  if (!frontMatter) {
    report(reader, locate(reader, 0), "the episode has no front matter; start it with a `---` block holding `title`, `teaching` and `exercises`");
    return meta;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(frontMatter.content, { lineCounter, uniqueKeys: true });
  const at = (offset: number): LessonLocation => {
    const pos = lineCounter.linePos(offset);
    return { file: reader.file, line: pos.line + 1, column: pos.col };
  };
  for (const e of doc.errors) report(reader, at(e.pos[0]), `front matter: ${yamlErrorMessage(e)}`);
  if (doc.errors.length > 0) return meta;
  const contents = doc.contents;
  if (!isMap(contents)) {
    report(reader, locate(reader, 0), "the front matter must be YAML keys: `title`, `teaching` and `exercises`");
    return meta;
  }
  const seen = new Set<string>();
  for (const pair of contents.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const where = at(pair.key?.range?.[0] ?? 0);
    seen.add(key);
    readFrontMatterKey(reader, meta, key, pair.value, where, pair.value?.range ? at(pair.value.range[0]) : where);
  }
  if (!seen.has("title")) report(reader, locate(reader, 0), "the episode has no `title` in its front matter");
  for (const key of ["teaching", "exercises"]) {
    if (!seen.has(key)) report(reader, locate(reader, 0), `the front matter has no \`${key}\` (minutes)`, "warning");
  }
  return meta;
}

const MINUTE_KEYS = { teaching: "teachingMinutes", exercises: "exerciseMinutes", training: "trainingMinutes" } as const;

function readFrontMatterKey(reader: EpisodeReader, meta: FrontMatter, key: string, value: Node | null, where: LessonLocation, valueWhere: LessonLocation): void {
  if (key === "title") {
    if (isScalar(value) && typeof value.value === "string" && value.value.trim() !== "") meta.title = value.value.trim();
    else report(reader, valueWhere, "the episode's `title` must be text");
  } else if (Object.hasOwn(MINUTE_KEYS, key)) {
    if (isScalar(value) && typeof value.value === "number" && value.value >= 0) meta[MINUTE_KEYS[key as keyof typeof MINUTE_KEYS]] = value.value;
    else report(reader, valueWhere, `\`${key}\` is a number of minutes`);
  } else {
    report(reader, where, `unknown front matter key \`${key}\`; the episode's front matter holds \`title\`, \`teaching\`, \`exercises\` and \`training\``, "warning");
  }
}

interface EpisodeContent {
  blocks: EpisodeBlock[];
  challenges: ParsedChallenge[];
  lists: Record<ListDiv, string[]>;
}

/** Phase 4: the top level of the episode, in order: markdown between divs, the list divs, callouts and challenges. */
function readContent(reader: EpisodeReader, root: TreeNode[], episodeId: string): EpisodeContent {
  const content: EpisodeContent = { blocks: [], challenges: [], lists: { questions: [], objectives: [], keypoints: [] } };
  const listSeen = new Set<ListDiv>();
  let pending: BlockNode[] = [];
  const flushMarkdown = (): void => {
    const block = markdownBlock(reader, pending);
    if (block) content.blocks.push(block);
    pending = [];
  };
  for (const node of root) {
    if (node.type === "block") {
      if (!isCheckFence(node)) pending.push(node);
      continue;
    }
    flushMarkdown();
    if (isListDiv(node.name)) {
      listSeen.add(node.name);
      content.lists[node.name].push(...listItems(reader, node, node.name));
    } else if (isCallout(node.name)) {
      content.blocks.push(readCallout(reader, node, node.name));
    } else if (node.name === "challenge") {
      const parsed = readChallenge(reader, node, episodeId);
      content.challenges.push(parsed);
      content.blocks.push({ kind: "challenge", challengeId: parsed.challenge.id, location: parsed.challenge.location });
    }
    // Unknown divs and misplaced hints/solutions were reported by phase 2; they show nothing.
  }
  flushMarkdown();
  for (const kind of LIST_DIVS) {
    if (!listSeen.has(kind)) report(reader, locate(reader, 0), `the episode has no \`${kind}\` div`, "warning");
  }
  return content;
}

/** The markdown of top-level blocks in a row, as one episode block; none when it is empty. */
function markdownBlock(reader: EpisodeReader, blocks: BlockNode[]): EpisodeBlock | undefined {
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (!first || !last) return undefined;
  const markdown = markdownOf(reader.lines, [], first.start, last.end, () => false);
  return markdown === "" ? undefined : { kind: "markdown", markdown, location: locate(reader, first.start) };
}

function readCallout(reader: EpisodeReader, node: DivNode, kind: CalloutKind): EpisodeBlock {
  const titleNode = node.children.find(isHeading3);
  if (!titleNode) report(reader, divLocation(reader, node), `the \`${kind}\` has no title; start it with a \`###\` heading`, "warning");
  return {
    kind: "callout",
    calloutKind: kind,
    title: titleNode ? headingText(titleNode) : "",
    markdown: markdownOf(reader.lines, node.children, ...divInner(reader, node), (child) => child === titleNode),
    location: locate(reader, node.open),
  };
}

/** The items of a `questions`, `objectives` or `keypoints` div, each as markdown without its bullet. */
function listItems(reader: EpisodeReader, node: DivNode, kind: ListDiv): string[] {
  const blocks = node.children.filter((child): child is BlockNode => child.type === "block");
  if (blocks.length !== 1 || node.children.length !== 1 || blocks[0]?.tokens[0]?.type !== "bullet_list_open") {
    report(reader, divLocation(reader, node), `\`${kind}\` holds exactly one bullet list (\`- ...\` lines)`);
  }
  return blocks
    .flatMap((block) => block.tokens)
    .filter((token) => token.type === "list_item_open" && token.level === 1 && token.map)
    .map((token) => listItemText(reader.lines.slice(token.map![0], token.map![1])))
    .filter((text) => text !== "");
}

/** A list item's lines without the bullet, continuation lines dedented by the bullet's width. */
function listItemText(itemLines: string[]): string {
  const marker = /^\s*(?:[-*+]|\d+[.)])\s+/.exec(itemLines[0] ?? "");
  const width = marker?.[0].length ?? 0;
  const dedent = new RegExp(`^ {0,${width}}`);
  return [(itemLines[0] ?? "").slice(width), ...itemLines.slice(1).map((l) => l.replace(dedent, ""))].join("\n").trim();
}

/** Phase 4, for a challenge div: its id, title, task, hints, solution, files and check block. */
function readChallenge(reader: EpisodeReader, node: DivNode, episodeId: string): ParsedChallenge {
  const attrs = new Map(node.meta.attrs.map((a) => [a.key, a]));
  for (const a of node.meta.attrs) {
    if (!CHALLENGE_ATTRIBUTES.includes(a.key)) {
      report(reader, locate(reader, node.open, a.keyColumn), `unknown challenge attribute \`${a.key}\`; a challenge takes ${CHALLENGE_ATTRIBUTES.join(", ")}`);
    }
  }
  const { id, idLocation } = readChallengeId(reader, node, attrs.get("id"));
  const parts = challengeParts(reader, node, id);
  const challenge: Challenge = {
    id,
    episodeId,
    title: parts.title ? headingText(parts.title) : "",
    markdown: markdownOf(reader.lines, node.children, ...divInner(reader, node), (child) => parts.skip.has(child)),
    hints: parts.hints.map((h) => markdownOf(reader.lines, h.children, ...divInner(reader, h), () => false)),
    solutionMarkdown: parts.solution ? markdownOf(reader.lines, parts.solution.children, ...divInner(reader, parts.solution), () => false) : "",
    location: locate(reader, node.open),
  };
  const parsed: ParsedChallenge = { challenge, idLocation };
  const starter = attrs.get("starter");
  const solution = attrs.get("solution");
  if (starter) {
    challenge.starterFile = starter.value;
    parsed.starterLocation = locate(reader, node.open, starter.valueColumn);
  }
  if (solution) {
    challenge.solutionFile = solution.value;
    parsed.solutionLocation = locate(reader, node.open, solution.valueColumn);
  }
  if (parts.check) readCheck(reader, parts.check, parsed);
  checkChallengeFiles(reader, node, { starter: starter !== undefined, solution: solution !== undefined }, parts.check);
  return parsed;
}

function readChallengeId(reader: EpisodeReader, node: DivNode, idAttr: DivAttribute | undefined): { id: string; idLocation: LessonLocation } {
  const idLocation = idAttr ? locate(reader, node.open, idAttr.valueColumn) : divLocation(reader, node);
  if (!idAttr || idAttr.value === "") report(reader, idLocation, 'the challenge has no id; write `::: challenge {id="a-short-name"}`');
  else if (!/^[a-z0-9][a-z0-9-]*$/.test(idAttr.value)) report(reader, idLocation, `challenge id \`${idAttr.value}\` should be lower-case letters, digits and dashes`, "warning");
  return { id: idAttr?.value ?? "", idLocation };
}

interface ChallengeParts {
  title: BlockNode | undefined;
  hints: DivNode[];
  solution: DivNode | undefined;
  check: BlockNode | undefined;
  /** What the task's markdown leaves out: the title, hints, solutions and check blocks. */
  skip: Set<TreeNode>;
}

/** A challenge's title, hints, solution and check block, each extra solution or check block reported. */
function challengeParts(reader: EpisodeReader, node: DivNode, id: string): ChallengeParts {
  const title = node.children.find(isHeading3);
  if (!title) report(reader, divLocation(reader, node), "the challenge has no title; start it with a `###` heading");
  const hints = node.children.filter((c): c is DivNode => c.type === "div" && c.name === "hint");
  const solutions = node.children.filter((c): c is DivNode => c.type === "div" && c.name === "solution");
  const checks = node.children.filter(isCheckFence);
  if (solutions.length === 0) report(reader, divLocation(reader, node), `challenge \`${id || "(no id)"}\` has no \`solution\` div`);
  for (const extra of solutions.slice(1)) report(reader, divLocation(reader, extra), "a challenge has one `solution` div; this is a second one");
  for (const extra of checks.slice(1)) report(reader, locate(reader, extra.start), "a challenge has one ```check block; this is a second one");
  const skip = new Set<TreeNode>([...hints, ...solutions, ...checks, ...(title ? [title] : [])]);
  return { title, hints, solution: solutions[0], check: checks[0], skip };
}

/** The challenge's check block, read at its place in the episode file (its YAML starts on the line after the fence). */
function readCheck(reader: EpisodeReader, checkNode: BlockNode, parsed: ParsedChallenge): void {
  const fenceLine = reader.lines[checkNode.start] ?? "";
  const indent = fenceLine.length - fenceLine.trimStart().length;
  parsed.check = parseCheckBlock(checkNode.tokens[0]!.content, reader.file, checkNode.start + 2, indent);
  parsed.checkLocation = locate(reader, checkNode.start);
  reader.problems.push(...parsed.check.problems);
  if (parsed.check.spec) parsed.challenge.check = parsed.check.spec;
}

/** A code challenge names a starter and a solution file and carries a check block; one part without the others is reported. */
function checkChallengeFiles(reader: EpisodeReader, node: DivNode, named: { starter: boolean; solution: boolean }, checkNode: BlockNode | undefined): void {
  const where = divLocation(reader, node);
  if (named.starter && !named.solution) report(reader, where, "a code challenge names both a `starter` and a `solution` file; this one has no `solution`");
  if (named.solution && !named.starter) report(reader, where, "a code challenge names both a `starter` and a `solution` file; this one has no `starter`");
  if ((named.starter || named.solution) && !checkNode) report(reader, where, "a code challenge carries a ```check block saying what each blank must be");
  if (checkNode && !named.starter && !named.solution) {
    report(reader, locate(reader, checkNode.start), 'a ```check block needs the challenge to name its files: `starter="challenges/<id>.py" solution="solutions/<id>.py"`');
  }
}

const startOf = (node: TreeNode): number => (node.type === "block" ? node.start : node.open);
const endOf = (node: TreeNode, lineCount: number): number => (node.type === "block" ? node.end : node.close === undefined ? lineCount : node.close + 1);
/** The lines inside a div, between its opening and closing lines (to the end of the file when it never closes). */
const divInner = (reader: EpisodeReader, div: DivNode): [number, number] => [div.open + 1, div.close ?? reader.lines.length];

/** The markdown source of lines `from`..`to`, leaving out the nodes of `nodes` (siblings in order) that `skip` picks. */
function markdownOf(lines: string[], nodes: TreeNode[], from: number, to: number, skip: (node: TreeNode) => boolean): string {
  const out: string[] = [];
  let line = from;
  let afterCut = false;
  const copyUpTo = (end: number): void => {
    for (; line < end; line++) {
      const text = lines[line]!;
      // One blank line where a part was cut out, not the blank lines of both its sides.
      const doubleBlank = afterCut && text.trim() === "" && (out.length === 0 || out[out.length - 1]!.trim() === "");
      if (doubleBlank) continue;
      afterCut = false;
      out.push(text);
    }
  };
  for (const node of nodes.filter(skip)) {
    copyUpTo(startOf(node));
    // Keep a blank line where a part was taken out, so the text around it does not run together.
    if (out.length > 0 && out[out.length - 1]!.trim() !== "") out.push("");
    line = Math.max(line, endOf(node, lines.length));
    afterCut = true;
  }
  copyUpTo(to);
  while (out.length > 0 && out[0]!.trim() === "") out.shift();
  while (out.length > 0 && out[out.length - 1]!.trim() === "") out.pop();
  return out.join("\n");
}

/** Every image in the episode with the line and column of its `![`. */
function findImages(tokens: Token[], lines: string[], file: string): ImageReference[] {
  const images: ImageReference[] = [];
  for (const token of tokens) {
    if (token.type !== "inline" || !token.children || !token.map) continue;
    const found = token.children.filter((child) => child.type === "image");
    if (found.length === 0) continue;
    // The n-th image of an inline run is at the n-th `![` of its lines (markdown-it keeps no
    // columns for inline tokens).
    const [start, end] = token.map;
    const marks: { line: number; column: number }[] = [];
    for (let line = start; line < end; line++) {
      const text = lines[line] ?? "";
      for (let at = text.indexOf("!["); at >= 0; at = text.indexOf("![", at + 2)) marks.push({ line, column: at });
    }
    found.forEach((image, n) => {
      const mark = marks[n] ?? { line: start, column: 0 };
      images.push({ src: safeDecode(String(image.attrGet("src") ?? "")), location: { file, line: mark.line + 1, column: mark.column + 1 } });
    });
  }
  return images;
}

/** Words of prose: text and inline code in paragraphs, headings, lists; not code blocks or YAML. */
function countWords(tokens: Token[]): number {
  let words = 0;
  for (const token of tokens) {
    if (token.type !== "inline") continue;
    for (const child of token.children ?? []) {
      if (child.type === "text" || child.type === "code_inline") {
        words += child.content.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
      }
    }
  }
  return words;
}

export interface LessonYaml {
  id: string;
  title: string;
  dataset: DatasetName;
  episodes: { name: string; location: LessonLocation }[];
}

/** `lesson.yaml`: id, title, dataset and the episode files in reading order. */
export function parseLessonYaml(source: string, file: string, fallbackId: string): { meta: LessonYaml; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  const meta: LessonYaml = { id: fallbackId, title: "", dataset: "cifar10", episodes: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  const yaml: LessonYamlReader = {
    at: (offset) => {
      const pos = lineCounter.linePos(offset ?? 0);
      return { file, line: pos.line, column: pos.col };
    },
    error: (location, message) => problems.push({ location, message, severity: "error" }),
  };
  for (const e of doc.errors) yaml.error(yaml.at(e.pos[0]), `lesson.yaml: ${yamlErrorMessage(e)}`);
  if (doc.errors.length > 0) return { meta, problems };
  const root = doc.contents;
  if (!isMap(root)) {
    yaml.error(yaml.at(0), "lesson.yaml holds the keys `id`, `title`, `dataset` and `episodes`");
    return { meta, problems };
  }
  const seen = new Set<string>();
  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const keyAt = yaml.at(pair.key?.range?.[0]);
    seen.add(key);
    if (!readLessonKey(yaml, meta, key, pair.value, pair.value?.range ? yaml.at(pair.value.range[0]) : keyAt)) {
      problems.push({ location: keyAt, message: `unknown key \`${key}\` in lesson.yaml; it holds id, title, dataset and episodes`, severity: "warning" });
    }
  }
  for (const key of ["id", "title", "dataset", "episodes"]) {
    if (!seen.has(key)) yaml.error({ file, line: 1, column: 1 }, `lesson.yaml has no \`${key}\``);
  }
  return { meta, problems };
}

interface LessonYamlReader {
  at(offset: number | undefined): LessonLocation;
  error(location: LessonLocation, message: string): void;
}

/** One key of lesson.yaml into `meta`; false for a key lesson.yaml does not have. */
function readLessonKey(yaml: LessonYamlReader, meta: LessonYaml, key: string, value: Node | null, valueAt: LessonLocation): boolean {
  const str = isScalar(value) && typeof value.value === "string" ? value.value : undefined;
  switch (key) {
    case "id":
      if (str && /^[a-z0-9][a-z0-9-]*$/.test(str)) meta.id = str;
      else yaml.error(valueAt, "the lesson `id` is lower-case letters, digits and dashes");
      return true;
    case "title":
      if (str && str.trim() !== "") meta.title = str.trim();
      else yaml.error(valueAt, "the lesson `title` must be text");
      return true;
    case "dataset":
      if (str && (DATASET_NAMES as readonly string[]).includes(str)) meta.dataset = str as DatasetName;
      else yaml.error(valueAt, `the lesson \`dataset\` is one of ${DATASET_NAMES.join(", ")}`);
      return true;
    case "episodes":
      if (isSeq(value)) readEpisodeList(yaml, meta, value.items as Node[]);
      else yaml.error(valueAt, "`episodes` is a list of episode files in reading order");
      return true;
    default:
      return false;
  }
}

function readEpisodeList(yaml: LessonYamlReader, meta: LessonYaml, items: Node[]): void {
  for (const item of items) {
    const where = yaml.at(item.range?.[0]);
    const name = isScalar(item) && typeof item.value === "string" ? item.value.trim() : "";
    if (name === "") yaml.error(where, "each entry of `episodes` is an episode file name, e.g. `01-introduction.md`");
    else if (meta.episodes.some((e) => e.name === name)) yaml.error(where, `episode \`${name}\` is listed twice`);
    else meta.episodes.push({ name, location: where });
  }
}
