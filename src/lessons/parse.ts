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
import { createLessonMarkdownIt, safeDecode, type DivOpenMeta } from "./markdown";
import { parseCheckBlock, type ParsedCheckBlock } from "./checkSpec";
import { closestName } from "./suggest";

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

export function parseEpisode(rawSource: string, file: string, id: string, index: number): ParsedEpisode {
  const episodeId = id;
  const source = rawSource.replace(/\r\n?/g, "\n");
  const lines = source.split("\n");
  const problems: LessonProblem[] = [];
  const loc = (line0: number, column0 = 0): LessonLocation => ({ file, line: line0 + 1, column: column0 + 1 });
  const report = (location: LessonLocation, message: string, severity: LessonProblem["severity"] = "error"): void => {
    problems.push({ location, message, severity });
  };
  const tokens = markdownIt.parse(source, {});

  // 1. Group top-level tokens into blocks and pair div lines into a tree.
  const root: TreeNode[] = [];
  const stack: DivNode[] = [];
  const childrenOf = (): TreeNode[] => stack[stack.length - 1]?.children ?? root;
  let frontMatter: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "front_matter") {
      frontMatter = token;
      continue;
    }
    if (token.type === "div_open") {
      const meta = token.meta as DivOpenMeta;
      const open = token.map![0];
      if (meta.error) report(loc(open, meta.error.column), meta.error.message);
      const node: DivNode = { type: "div", name: meta.name, meta, open, close: undefined, children: [], parent: stack[stack.length - 1] };
      childrenOf().push(node);
      stack.push(node);
      continue;
    }
    if (token.type === "div_close") {
      const node = stack.pop();
      if (node) node.close = token.map![0];
      else report(loc(token.map![0]), "this `:::` line closes no div: there is no open div above it");
      continue;
    }
    // A top-level block: one token (fence, hr, code block) or an open token up to its close.
    const group: Token[] = [token];
    if (token.nesting === 1) {
      let depth = 1;
      while (depth > 0 && i + 1 < tokens.length) {
        const next = tokens[++i]!;
        group.push(next);
        depth += next.nesting;
      }
    }
    const map = token.map ?? [0, 0];
    childrenOf().push({ type: "block", tokens: group, start: map[0], end: map[1] });
  }
  for (const node of stack) {
    report(loc(node.open, node.meta.nameColumn), `the \`${node.name || "div"}\` div opened here is never closed; close it with a \`:::\` line`);
  }

  const endOf = (node: TreeNode): number => (node.type === "block" ? node.end : node.close === undefined ? lines.length : node.close + 1);
  const startOf = (node: TreeNode): number => (node.type === "block" ? node.start : node.open);

  /** The markdown source of `nodes` (siblings in order), leaving out `skip`. */
  const markdownOf = (nodes: TreeNode[], from: number, to: number, skip: (node: TreeNode) => boolean): string => {
    const out: string[] = [];
    let line = from;
    let afterCut = false;
    const copyUpTo = (end: number): void => {
      for (; line < end; line++) {
        const text = lines[line]!;
        // One blank line where a part was cut out, not the blank lines of both its sides.
        if (afterCut && text.trim() === "" && (out.length === 0 || out[out.length - 1]!.trim() === "")) continue;
        afterCut = false;
        out.push(text);
      }
    };
    for (const node of nodes) {
      if (!skip(node)) continue;
      copyUpTo(startOf(node));
      // Keep a blank line where a part was taken out, so the text around it does not run together.
      if (out.length > 0 && out[out.length - 1]!.trim() !== "") out.push("");
      line = Math.max(line, endOf(node));
      afterCut = true;
    }
    copyUpTo(to);
    while (out.length > 0 && out[0]!.trim() === "") out.shift();
    while (out.length > 0 && out[out.length - 1]!.trim() === "") out.pop();
    return out.join("\n");
  };
  const divInner = (div: DivNode): [number, number] => [div.open + 1, div.close ?? lines.length];

  const isHeading3 = (node: TreeNode): node is BlockNode =>
    node.type === "block" && node.tokens[0]?.type === "heading_open" && node.tokens[0].tag === "h3";
  const headingText = (node: BlockNode): string => node.tokens.find((t) => t.type === "inline")?.content.trim() ?? "";
  const isCheckFence = (node: TreeNode): node is BlockNode =>
    node.type === "block" && node.tokens[0]?.type === "fence" && node.tokens[0].info.trim().split(/\s+/)[0] === "check";

  // 2. Where each div may be, checked over the whole tree. An explicit stack rather than
  // recursion, so that a file of deeply nested divs gets its problems, not a stack overflow.
  const pendingLevels: { nodes: TreeNode[]; parent: DivNode | undefined }[] = [{ nodes: root, parent: undefined }];
  for (let level = pendingLevels.pop(); level !== undefined; level = pendingLevels.pop()) {
    const { nodes, parent } = level;
    for (const node of nodes) {
      if (node.type === "block") {
        if (isCheckFence(node) && parent?.name !== "challenge") {
          report(loc(node.start), "a ```check block belongs directly inside a `challenge` div");
        }
        continue;
      }
      const where = loc(node.open, node.meta.nameColumn);
      const name = node.name;
      // A div line without a name was reported when it was read.
      if (name && !KNOWN_DIVS.includes(name)) {
        const near = closestName(name, KNOWN_DIVS);
        report(where, `unknown div \`${name}\`${near ? `; did you mean \`${near}\`?` : `; known divs: ${KNOWN_DIVS.join(", ")}`}`);
      } else if (name === "solution" && parent && (CALLOUT_KINDS as readonly string[]).includes(parent.name)) {
        // A callout that asks the reader to predict something keeps its answer in a fold.
      } else if (name === "hint" || name === "solution") {
        if (parent?.name !== "challenge") {
          report(where, `a \`${name}\` div belongs inside a \`challenge\` div${parent ? `, not inside \`${parent.name}\`` : ""}`);
        }
      } else if ((LIST_DIVS as readonly string[]).includes(name) || name === "challenge") {
        if (parent) report(where, `a \`${name}\` div belongs at the top level of the episode, not inside \`${parent.name}\``);
      } else if (name && parent && (LIST_DIVS as readonly string[]).includes(parent.name)) {
        report(where, `\`${parent.name}\` holds one bullet list, not a \`${name}\` div`);
      } else if (name && parent && (CALLOUT_KINDS as readonly string[]).includes(parent.name)) {
        report(where, `a \`${name}\` div cannot be inside \`${parent.name}\`; put it after it`);
      }
      if (name && node.meta.attrs.length > 0 && name !== "challenge") {
        report(loc(node.open, node.meta.attrs[0]!.keyColumn), `the \`${name}\` div takes no attributes`);
      }
      pendingLevels.push({ nodes: node.children, parent: node });
    }
  }

  // 3. Front matter.
  let title = "";
  let teachingMinutes = 0;
  let exerciseMinutes = 0;
  let trainingMinutes: number | undefined;
  if (!frontMatter) {
    report(loc(0), "the episode has no front matter; start it with a `---` block holding `title`, `teaching` and `exercises`");
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(frontMatter.content, { lineCounter, uniqueKeys: true });
    const at = (offset: number): LessonLocation => {
      const pos = lineCounter.linePos(offset);
      return { file, line: pos.line + 1, column: pos.col };
    };
    for (const e of doc.errors) report(at(e.pos[0]), `front matter: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`);
    const contents = doc.contents;
    if (doc.errors.length === 0) {
      if (!isMap(contents)) report(loc(0), "the front matter must be YAML keys: `title`, `teaching` and `exercises`");
      else {
        const seen = new Set<string>();
        for (const pair of contents.items as Pair<Node, Node | null>[]) {
          const key = isScalar(pair.key) ? String(pair.key.value) : "";
          const value = pair.value;
          const where = at(pair.key?.range?.[0] ?? 0);
          const valueWhere = value?.range ? at(value.range[0]) : where;
          seen.add(key);
          if (key === "title") {
            if (isScalar(value) && typeof value.value === "string" && value.value.trim() !== "") title = value.value.trim();
            else report(valueWhere, "the episode's `title` must be text");
          } else if (key === "teaching" || key === "exercises" || key === "training") {
            if (isScalar(value) && typeof value.value === "number" && value.value >= 0) {
              if (key === "teaching") teachingMinutes = value.value;
              else if (key === "exercises") exerciseMinutes = value.value;
              else trainingMinutes = value.value;
            } else report(valueWhere, `\`${key}\` is a number of minutes`);
          } else {
            report(where, `unknown front matter key \`${key}\`; the episode's front matter holds \`title\`, \`teaching\`, \`exercises\` and \`training\``, "warning");
          }
        }
        if (!seen.has("title")) report(loc(0), "the episode has no `title` in its front matter");
        for (const key of ["teaching", "exercises"]) {
          if (!seen.has(key)) report(loc(0), `the front matter has no \`${key}\` (minutes)`, "warning");
        }
      }
    }
  }

  // 4. Episode content, top level.
  const episodeBlocks: EpisodeBlock[] = [];
  const parsedChallenges: ParsedChallenge[] = [];
  const lists: Record<ListDiv, string[]> = { questions: [], objectives: [], keypoints: [] };
  const listSeen: Record<ListDiv, boolean> = { questions: false, objectives: false, keypoints: false };
  let pending: BlockNode[] = [];
  const flushMarkdown = (): void => {
    if (pending.length === 0) return;
    const first = pending[0]!;
    const last = pending[pending.length - 1]!;
    const markdown = markdownOf([], first.start, last.end, () => false);
    if (markdown !== "") episodeBlocks.push({ kind: "markdown", markdown, location: loc(first.start) });
    pending = [];
  };

  for (const node of root) {
    if (node.type === "block") {
      if (!isCheckFence(node)) pending.push(node);
      continue;
    }
    flushMarkdown();
    const name = node.name;
    if ((LIST_DIVS as readonly string[]).includes(name)) {
      const kind = name as ListDiv;
      listSeen[kind] = true;
      lists[kind].push(...listItems(node, kind));
    } else if ((CALLOUT_KINDS as readonly string[]).includes(name)) {
      const titleNode = node.children.find(isHeading3);
      if (!titleNode) report(loc(node.open, node.meta.nameColumn), `the \`${name}\` has no title; start it with a \`###\` heading`, "warning");
      const [from, to] = divInner(node);
      episodeBlocks.push({
        kind: "callout",
        calloutKind: name as CalloutKind,
        title: titleNode ? headingText(titleNode) : "",
        markdown: markdownOf(node.children, from, to, (child) => child === titleNode),
        location: loc(node.open),
      });
    } else if (name === "challenge") {
      const parsed = readChallenge(node);
      parsedChallenges.push(parsed);
      episodeBlocks.push({ kind: "challenge", challengeId: parsed.challenge.id, location: parsed.challenge.location });
    }
    // Unknown divs and misplaced hints/solutions were reported by the walk; they show nothing.
  }
  flushMarkdown();
  for (const kind of LIST_DIVS) {
    if (!listSeen[kind]) report(loc(0), `the episode has no \`${kind}\` div`, "warning");
  }

  function listItems(node: DivNode, kind: ListDiv): string[] {
    const blocks = node.children.filter((child): child is BlockNode => child.type === "block");
    const list = blocks[0];
    if (blocks.length !== 1 || node.children.length !== 1 || list?.tokens[0]?.type !== "bullet_list_open") {
      report(loc(node.open, node.meta.nameColumn), `\`${kind}\` holds exactly one bullet list (\`- ...\` lines)`);
    }
    const items: string[] = [];
    for (const block of blocks) {
      for (const token of block.tokens) {
        if (token.type !== "list_item_open" || token.level !== 1 || !token.map) continue;
        const [start, end] = token.map;
        const itemLines = lines.slice(start, end);
        const marker = /^\s*(?:[-*+]|\d+[.)])\s+/.exec(itemLines[0] ?? "");
        const width = marker?.[0].length ?? 0;
        const text = [
          (itemLines[0] ?? "").slice(width),
          ...itemLines.slice(1).map((l) => l.replace(new RegExp(`^ {0,${width}}`), "")),
        ]
          .join("\n")
          .trim();
        if (text !== "") items.push(text);
      }
    }
    return items;
  }

  function readChallenge(node: DivNode): ParsedChallenge {
    const attrs = new Map(node.meta.attrs.map((a) => [a.key, a]));
    for (const a of node.meta.attrs) {
      if (!CHALLENGE_ATTRIBUTES.includes(a.key)) {
        report(loc(node.open, a.keyColumn), `unknown challenge attribute \`${a.key}\`; a challenge takes ${CHALLENGE_ATTRIBUTES.join(", ")}`);
      }
    }
    const idAttr = attrs.get("id");
    const location = loc(node.open);
    const idLocation = idAttr ? loc(node.open, idAttr.valueColumn) : loc(node.open, node.meta.nameColumn);
    if (!idAttr || idAttr.value === "") report(idLocation, 'the challenge has no id; write `::: challenge {id="a-short-name"}`');
    else if (!/^[a-z0-9][a-z0-9-]*$/.test(idAttr.value)) {
      report(idLocation, `challenge id \`${idAttr.value}\` should be lower-case letters, digits and dashes`, "warning");
    }
    const id = idAttr?.value ?? "";

    const titleNode = node.children.find(isHeading3);
    if (!titleNode) report(loc(node.open, node.meta.nameColumn), "the challenge has no title; start it with a `###` heading");
    const hints = node.children.filter((c): c is DivNode => c.type === "div" && c.name === "hint");
    const solutions = node.children.filter((c): c is DivNode => c.type === "div" && c.name === "solution");
    const checks = node.children.filter(isCheckFence);
    if (solutions.length === 0) {
      report(loc(node.open, node.meta.nameColumn), `challenge \`${id || "(no id)"}\` has no \`solution\` div`);
    }
    for (const extra of solutions.slice(1)) report(loc(extra.open, extra.meta.nameColumn), "a challenge has one `solution` div; this is a second one");
    for (const extra of checks.slice(1)) report(loc(extra.start), "a challenge has one ```check block; this is a second one");

    const skip = new Set<TreeNode>([...hints, ...solutions, ...checks]);
    if (titleNode) skip.add(titleNode);
    const [from, to] = divInner(node);
    const challenge: Challenge = {
      id,
      episodeId,
      title: titleNode ? headingText(titleNode) : "",
      markdown: markdownOf(node.children, from, to, (child) => skip.has(child)),
      hints: hints.map((h) => markdownOf(h.children, ...divInner(h), () => false)),
      solutionMarkdown: solutions[0] ? markdownOf(solutions[0].children, ...divInner(solutions[0]), () => false) : "",
      location,
    };
    const parsed: ParsedChallenge = { challenge, idLocation };

    const starter = attrs.get("starter");
    const solution = attrs.get("solution");
    if (starter) {
      challenge.starterFile = starter.value;
      parsed.starterLocation = loc(node.open, starter.valueColumn);
    }
    if (solution) {
      challenge.solutionFile = solution.value;
      parsed.solutionLocation = loc(node.open, solution.valueColumn);
    }
    const checkNode = checks[0];
    if (checkNode) {
      const fence = checkNode.tokens[0]!;
      const indent = (lines[checkNode.start] ?? "").length - (lines[checkNode.start] ?? "").trimStart().length;
      parsed.check = parseCheckBlock(fence.content, file, checkNode.start + 2, indent);
      parsed.checkLocation = loc(checkNode.start);
      problems.push(...parsed.check.problems);
      if (parsed.check.spec) challenge.check = parsed.check.spec;
    }
    const where = loc(node.open, node.meta.nameColumn);
    if (starter && !solution) report(where, "a code challenge names both a `starter` and a `solution` file; this one has no `solution`");
    if (solution && !starter) report(where, "a code challenge names both a `starter` and a `solution` file; this one has no `starter`");
    if ((starter || solution) && !checkNode) report(where, "a code challenge carries a ```check block saying what each blank must be");
    if (checkNode && !starter && !solution) {
      report(loc(checkNode.start), 'a ```check block needs the challenge to name its files: `starter="challenges/<id>.py" solution="solutions/<id>.py"`');
    }
    return parsed;
  }

  const episode: Episode = {
    id,
    index,
    title,
    teachingMinutes,
    exerciseMinutes,
    ...(trainingMinutes !== undefined ? { trainingMinutes } : {}),
    questions: lists.questions,
    objectives: lists.objectives,
    keypoints: lists.keypoints,
    blocks: episodeBlocks,
    challenges: parsedChallenges.map((p) => p.challenge),
    location: loc(0),
  };

  return { episode, challenges: parsedChallenges, images: findImages(tokens, lines, file), problems, words: countWords(tokens) };
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
  const at = (offset: number | undefined): LessonLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: pos.line, column: pos.col };
  };
  const error = (location: LessonLocation, message: string): void => {
    problems.push({ location, message, severity: "error" });
  };
  for (const e of doc.errors) error(at(e.pos[0]), `lesson.yaml: ${(e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`);
  if (doc.errors.length > 0) return { meta, problems };
  const root = doc.contents;
  if (!isMap(root)) {
    error(at(0), "lesson.yaml holds the keys `id`, `title`, `dataset` and `episodes`");
    return { meta, problems };
  }
  const seen = new Set<string>();
  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    const value = pair.value;
    const keyAt = at(pair.key?.range?.[0]);
    const valueAt = value?.range ? at(value.range[0]) : keyAt;
    seen.add(key);
    const str = isScalar(value) && typeof value.value === "string" ? value.value : undefined;
    if (key === "id") {
      if (str && /^[a-z0-9][a-z0-9-]*$/.test(str)) meta.id = str;
      else error(valueAt, "the lesson `id` is lower-case letters, digits and dashes");
    } else if (key === "title") {
      if (str && str.trim() !== "") meta.title = str.trim();
      else error(valueAt, "the lesson `title` must be text");
    } else if (key === "dataset") {
      if (str && (DATASET_NAMES as readonly string[]).includes(str)) meta.dataset = str as DatasetName;
      else error(valueAt, `the lesson \`dataset\` is one of ${DATASET_NAMES.join(", ")}`);
    } else if (key === "episodes") {
      if (!isSeq(value)) error(valueAt, "`episodes` is a list of episode files in reading order");
      else {
        for (const item of value.items as Node[]) {
          const where = at(item.range?.[0]);
          if (isScalar(item) && typeof item.value === "string" && item.value.trim() !== "") {
            const name = item.value.trim();
            if (meta.episodes.some((e) => e.name === name)) error(where, `episode \`${name}\` is listed twice`);
            else meta.episodes.push({ name, location: where });
          } else error(where, "each entry of `episodes` is an episode file name, e.g. `01-introduction.md`");
        }
      }
    } else {
      problems.push({ location: keyAt, message: `unknown key \`${key}\` in lesson.yaml; it holds id, title, dataset and episodes`, severity: "warning" });
    }
  }
  for (const key of ["id", "title", "dataset", "episodes"]) {
    if (!seen.has(key)) error({ file, line: 1, column: 1 }, `lesson.yaml has no \`${key}\``);
  }
  return { meta, problems };
}
