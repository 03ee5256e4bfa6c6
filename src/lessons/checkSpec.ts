/**
 * A challenge's ```check block: YAML read with the `yaml` package, then checked by the valibot
 * schema below, which is the one description of what a check block holds (`CheckSpec` of
 * `src/protocol/lesson.ts` is held equal to the type inferred from it). Every problem is reported
 * at its own line and column in the episode file, in an author's terms: the field is named as the
 * author wrote it (`expect` of blank `units`), and a misspelt key gets a "did you mean".
 */
import * as v from "valibot";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import { LAYER_CLASS_NAMES } from "../protocol/modelSpec";
import type { CheckSpec, LessonLocation, LessonProblem } from "../protocol/lesson";
import { isPythonExpression } from "../python";
import { closestName } from "./suggest";
import { yamlErrorMessage } from "./yamlErrors";

export interface ParsedCheckBlock {
  spec?: CheckSpec;
  problems: LessonProblem[];
  /** Where the `blanks` key is, and where each blank's entry starts (for later messages). */
  blanksLocation: LessonLocation;
  blankLocations: LessonLocation[];
}

type PathKey = string | number;
type Issue = v.BaseIssue<unknown>;

const keysOfPath = (path: readonly v.IssuePathItem[] | undefined): PathKey[] => (path ?? []).map((item) => item.key as PathKey);

/** The field at `keys` as an author calls it, e.g. "`expect` of blank `units`"; `root` gives the blank ids. */
function fieldName(keys: readonly PathKey[], root: unknown): string {
  const [top, index, field, entry, part] = keys;
  if (top === undefined) return "the check block";
  if (top !== "blanks") {
    if (index === undefined) return `\`${top}\``;
    if (field === undefined) return `\`${top}.${index}\``;
    return top === "model" && index === "outputShapes" ? "each of `model.outputShapes`" : `\`${top}.${index}\``;
  }
  if (typeof index !== "number") return "`blanks`";
  const where = `blank ${index + 1}`;
  const id = (root as { blanks?: { id?: unknown }[] } | undefined)?.blanks?.[index]?.id;
  const label = typeof id === "string" && id !== "" ? `blank \`${id}\`` : where;
  if (field === undefined) return where;
  if (field === "id") return `the id of ${where}`;
  if (field === "hint") return `the hint of ${label}`;
  if (field === "accept" && entry !== undefined) return `an \`accept\` entry of ${label}`;
  if (field === "mistakes" && entry !== undefined) return part === undefined ? `a mistake of ${label}` : `a mistake's \`${part}\` of ${label}`;
  return `\`${field}\` of ${label}`;
}

/**
 * Valibot writes an issue's message where the issue arises, before the path above it is known; so
 * messages name their field with placeholders, filled in once the whole path is: `{field}` (the
 * field at the issue's path), `{parent}` (the mapping holding it) and `{blank}` (its blank).
 */
function fillMessage(message: string, keys: readonly PathKey[], root: unknown): string {
  const blank = typeof keys[1] === "number" ? fieldName(keys.slice(0, 2).concat("hint"), root).replace(/^the hint of /, "") : "the blank";
  return message
    .replace("{field}", () => fieldName(keys, root))
    .replace("{parent}", () => fieldName(keys.slice(0, -1), root))
    .replace("{blank}", () => blank);
}

/** A message about the field at the issue's path. */
const about =
  (tail: string | ((issue: Issue) => string)) =>
  (issue: Issue): string =>
    `{field} ${typeof tail === "string" ? tail : tail(issue)}`;

/**
 * A YAML mapping with these keys and no others. Valibot's strict object reports only the first
 * unknown key; authors get every one, each with its "did you mean".
 */
function mapping<const Entries extends v.ObjectEntries>(entries: Entries, notAMapping: (issue: Issue) => string) {
  const known = Object.keys(entries);
  return v.pipe(
    // An object to valibot, a YAML list is not a mapping to an author.
    v.custom<Record<string, unknown>>((input) => typeof input === "object" && input !== null && !Array.isArray(input), notAMapping),
    v.looseObject(entries, (issue) => (issue.expected?.startsWith('"') ? `{parent} has no \`${issue.expected.slice(1, -1)}\`` : notAMapping(issue))),
    v.rawCheck(({ dataset, addIssue }) => {
      const input = dataset.value;
      if (!input || typeof input !== "object") return;
      for (const key of Object.keys(input).filter((k) => !known.includes(k))) {
        const hint = closestName(key, known);
        addIssue({
          message: `unknown key \`${key}\` in {parent}${hint ? `; did you mean \`${hint}\`?` : `; known keys: ${known.join(", ")}`}`,
          path: [{ type: "object", origin: "key", input: input as Record<string, unknown>, key, value: (input as Record<string, unknown>)[key] }],
        });
      }
    }),
    // The unknown keys were reported; the spec keeps the known ones.
    v.transform((value) => Object.fromEntries(Object.entries(value).filter(([key]) => known.includes(key))) as v.InferOutput<v.ObjectSchema<Entries, undefined>>),
  );
}

const text = v.string(about("must be text"));
const textList = v.array(v.string(about("must hold text")), about("must be a list"));
/** A Python expression: a YAML string (a plain YAML number arrives as its source text, see `withNumberSources`). */
const expression = v.pipe(
  v.string(about(`must be a Python expression written as a quoted string, e.g. "16" or "'relu'"`)),
  v.check(isPythonExpression, about((issue) => `\`${String(issue.input)}\` is not one Python expression`)),
);
const wholeNumber = (min: number) =>
  v.pipe(v.number(about(`must be a whole number${min > 0 ? ` of at least ${min}` : ""}`)), v.integer(about(`must be a whole number${min > 0 ? ` of at least ${min}` : ""}`)), v.minValue(min, about(`must be a whole number${min > 0 ? ` of at least ${min}` : ""}`)));
const shape = (what: (issue: Issue) => string) =>
  v.array(v.pipe(v.number(about("must hold positive whole numbers")), v.integer(about("must hold positive whole numbers")), v.minValue(1, about("must hold positive whole numbers"))), what);
const layerClass = v.pipe(
  v.string(about("must hold text")),
  v.check((name) => (LAYER_CLASS_NAMES as readonly string[]).includes(name), (issue) => `unknown layer class \`${String(issue.input)}\`; known: ${LAYER_CLASS_NAMES.join(", ")}`),
);

const mistakeSchema = mapping({ answer: expression, message: text }, () => "each mistake of {blank} needs `answer` and `message`");

const blankSchema = mapping(
  {
    id: text,
    expect: expression,
    accept: v.exactOptional(v.array(expression, about("must be a list"))),
    mistakes: v.exactOptional(v.array(mistakeSchema, about("must be a list"))),
    hint: v.exactOptional(text),
    explain: v.exactOptional(text),
  },
  about("must be a mapping with `id` and `expect`"),
);

const modelSchema = v.pipe(
  mapping(
    {
      function: v.exactOptional(text),
      variable: v.exactOptional(text),
      inputShape: shape(about("must be a list of whole numbers, e.g. [32, 32, 3]")),
      layers: v.exactOptional(v.array(layerClass, about("must be a list"))),
      outputShapes: v.exactOptional(v.array(shape(about("must be a list of whole numbers, e.g. [32, 32, 3]")), about("must be a list of shapes"))),
      totalParams: v.exactOptional(wholeNumber(0)),
    },
    about("must be a mapping"),
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    const model = dataset.value as { variable?: unknown; layers?: unknown[]; outputShapes?: unknown[] } | undefined;
    if (!model || typeof model !== "object") return;
    const keyPath = (key: string): [v.ObjectPathItem] => [{ type: "object", origin: "key", input: model, key, value: (model as Record<string, unknown>)[key] }];
    if ("function" in model && "variable" in model) addIssue({ message: "`model` has either `function` or `variable`, not both", path: keyPath("variable") });
    if (dataset.typed && model.layers && model.outputShapes && model.layers.length !== model.outputShapes.length) {
      addIssue({ message: `\`model.outputShapes\` has ${model.outputShapes.length} shapes but \`model.layers\` has ${model.layers.length} layers`, path: keyPath("outputShapes") });
    }
  }),
);

const compileSchema = mapping({ optimizer: v.exactOptional(text), loss: v.exactOptional(text), metrics: v.exactOptional(textList) }, about("must be a mapping"));

const fitSchema = mapping(
  { epochs: v.exactOptional(wholeNumber(1)), batchSize: v.exactOptional(wholeNumber(1)), validationData: v.exactOptional(v.boolean(about("must be true or false"))) },
  about("must be a mapping"),
);

/** The check block: a `blanks` list, one entry per `_____` of the starter, and what the model, `compile` and `fit` must be. */
export const CheckSpecSchema = v.pipe(
  mapping(
    {
      blanks: v.array(blankSchema, "`blanks` must be a list, one entry per `_____` in the starter file"),
      model: v.exactOptional(modelSchema),
      compile: v.exactOptional(compileSchema),
      fit: v.exactOptional(fitSchema),
    },
    () => "the check block must be a YAML mapping with a `blanks` list",
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    const root = dataset.value as { blanks?: unknown; model?: unknown } | undefined;
    if (!root || typeof root !== "object") return;
    const model = root.model;
    if (model && typeof model === "object" && !Array.isArray(model) && !("function" in model) && !("variable" in model)) {
      addIssue({ message: "`model` names the `function` that builds the model or the `variable` that holds it", path: [{ type: "object", origin: "key", input: root, key: "model", value: model }] });
    }
    // Blank ids name blanks in messages and tests, so two blanks may not share one.
    if (!Array.isArray(root.blanks)) return;
    const seen = new Set<string>();
    root.blanks.forEach((blank: unknown, index) => {
      const id = (blank as { id?: unknown } | undefined)?.id;
      if (typeof id !== "string" || id === "") return;
      if (seen.has(id)) addIssue({ message: `two blanks share the id \`${id}\``, path: [{ type: "object", origin: "value", input: root, key: "blanks", value: root.blanks }, { type: "array", origin: "value", input: root.blanks as unknown[], key: index, value: blank }] });
      seen.add(id);
    });
  }),
);

// The protocol's `CheckSpec` is what the schema gives: a change to either one fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const specIsInferred: Same<v.InferOutput<typeof CheckSpecSchema>, CheckSpec> = true;
void specIsInferred;

/** Where `keys` point in the YAML: `key` for the key of a mapping entry, else its value (or its key when it has none). */
function nodeLocation(doc: Document, keys: readonly PathKey[], part: "key" | "value"): Node | undefined {
  const parentKeys = keys.slice(0, -1);
  const last = keys[keys.length - 1];
  const parent = parentKeys.length === 0 ? doc.contents : doc.getIn(parentKeys, true);
  const pair = isMap(parent) && typeof last === "string" ? (parent.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === last) : undefined;
  if (part === "key") return pair?.key ?? undefined;
  const node = keys.length === 0 ? doc.contents : (doc.getIn(keys, true) as Node | undefined);
  return node && isNodeWithRange(node) ? node : (pair?.key ?? undefined);
}

const isNodeWithRange = (node: unknown): node is Node => typeof node === "object" && node !== null && "range" in node && Array.isArray((node as Node).range);

/** The node a problem belongs at: a missing key at its owner (the key that opens the mapping, or the mapping), an unknown key at itself. */
function issueNode(doc: Document, issue: Issue): Node | undefined {
  const keys = keysOfPath(issue.path);
  const last = issue.path?.[issue.path.length - 1];
  if (last?.origin === "key" && issue.expected?.startsWith('"')) {
    const owner = keys.slice(0, -1);
    const ownerKey = owner[owner.length - 1];
    return (typeof ownerKey === "string" ? nodeLocation(doc, owner, "key") : undefined) ?? nodeLocation(doc, owner, "value");
  }
  if (last?.origin === "key") return nodeLocation(doc, keys, "key");
  return nodeLocation(doc, keys, "value") ?? (keys.length > 0 ? nodeLocation(doc, keys.slice(0, -1), "value") : undefined);
}

/**
 * A plain YAML number in an expression (`expect: 0.10`) is kept exactly as written: Python tells
 * `0.10` from `0.1` in the learner's file no more than the author means to, but `1` from `1.0` it does.
 */
function withNumberSources(doc: Document, data: unknown): unknown {
  const blanks = (data as { blanks?: unknown } | undefined)?.blanks;
  if (!Array.isArray(blanks)) return data;
  const source = (keys: PathKey[], value: unknown): unknown => {
    if (typeof value !== "number") return value;
    const node = doc.getIn(keys, true);
    return isScalar(node) && node.type === "PLAIN" && node.source !== undefined ? node.source : value;
  };
  blanks.forEach((blank: unknown, i) => {
    if (!blank || typeof blank !== "object") return;
    const entry = blank as { expect?: unknown; accept?: unknown; mistakes?: unknown };
    if ("expect" in entry) entry.expect = source(["blanks", i, "expect"], entry.expect);
    if (Array.isArray(entry.accept)) entry.accept = entry.accept.map((a, j) => source(["blanks", i, "accept", j], a));
    if (Array.isArray(entry.mistakes)) {
      entry.mistakes.forEach((m: unknown, k) => {
        if (m && typeof m === "object" && "answer" in m) (m as { answer: unknown }).answer = source(["blanks", i, "mistakes", k, "answer"], (m as { answer: unknown }).answer);
      });
    }
  });
  return data;
}

/** The value at `keys` in `data`. */
function valueAt(data: unknown, keys: readonly PathKey[]): unknown {
  return keys.reduce<unknown>((value, key) => (value && typeof value === "object" ? (value as Record<PathKey, unknown>)[key] : undefined), data);
}

/** A blank's `expect` while the rest is salvaged: a valid expression, emptied again at the end. */
const EXPECT_PLACEHOLDER = "None";

/**
 * What can still be read of a block with problems, so that the lint can compare the rest and the
 * panel can still show the challenge: each value with a problem is left out, a blank keeps its
 * place with an empty `id` or `expect`, `model` an empty `inputShape`, `blanks` is an empty list. Works on `data` (the
 * issues' own inputs may be valibot's copies); returns the blanks whose `expect` was emptied.
 */
function salvage(data: unknown, issues: readonly Issue[], emptied: Set<object>): boolean {
  let changed = false;
  const removals: { container: unknown; key: PathKey }[] = [];
  for (const issue of issues) {
    const keys = keysOfPath(issue.path);
    const field = keys[keys.length - 1];
    if (field === undefined) continue;
    const container = valueAt(data, keys.slice(0, -1));
    if (!container || typeof container !== "object") continue;
    const missing = issue.path?.[issue.path.length - 1]?.origin === "key" && issue.expected?.startsWith('"');
    if (keys[0] === "blanks" && keys.length === 3 && (field === "id" || field === "expect")) {
      (container as Record<PathKey, unknown>)[field] = field === "id" ? "" : EXPECT_PLACEHOLDER;
      if (field === "expect") emptied.add(container);
      changed = true;
    } else if (keys.length === 1 && field === "blanks") {
      (container as Record<PathKey, unknown>)[field] = [];
      changed = true;
    } else if (keys[0] === "model" && keys.length === 2 && field === "inputShape") {
      (container as Record<PathKey, unknown>)[field] = [];
      changed = true;
    } else if (missing) {
      // Any other missing key: the mapping that needs it is left out.
      removals.push({ container: valueAt(data, keys.slice(0, -2)), key: keys[keys.length - 2]! });
    } else {
      removals.push({ container, key: field });
    }
  }
  // Array entries from the last, so that earlier indices stay valid.
  removals.sort((a, b) => (typeof b.key === "number" ? b.key : -1) - (typeof a.key === "number" ? a.key : -1));
  for (const { container, key } of removals) {
    if (Array.isArray(container) && typeof key === "number") container.splice(key, 1);
    else if (container && typeof container === "object") delete (container as Record<PathKey, unknown>)[key];
    changed = true;
  }
  return changed;
}

/**
 * @param yamlSource the fence's content
 * @param file the episode file
 * @param firstLine 1-based line of the first content line in the episode file
 * @param columnOffset columns the fence's indentation adds
 */
export function parseCheckBlock(yamlSource: string, file: string, firstLine: number, columnOffset = 0): ParsedCheckBlock {
  const problems: LessonProblem[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlSource, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): LessonLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: firstLine + pos.line - 1, column: pos.col + columnOffset };
  };
  const start = at(0);
  const result: ParsedCheckBlock = { problems, blanksLocation: start, blankLocations: [] };

  // Only the first YAML error: the ones after it are mostly the parser losing its footing.
  for (const e of [...doc.errors, ...doc.warnings].slice(0, 1)) {
    problems.push({ location: at(e.pos[0]), message: `check block: ${yamlErrorMessage(e)}`, severity: "error" });
  }
  if (doc.errors.length > 0) return result;

  const blanksKey = nodeLocation(doc, ["blanks"], "key");
  if (blanksKey?.range) result.blanksLocation = at(blanksKey.range[0]);
  const blanksNode = isMap(doc.contents) ? doc.getIn(["blanks"], true) : undefined;
  if (isSeq(blanksNode)) result.blankLocations = (blanksNode.items as Node[]).map((item) => (item.range ? at(item.range[0]) : result.blanksLocation));

  const data = withNumberSources(doc, doc.toJS());
  const checked = v.safeParse(CheckSpecSchema, data);
  if (checked.success) {
    result.spec = checked.output;
    return result;
  }
  for (const issue of checked.issues) {
    const node = issueNode(doc, issue);
    problems.push({ location: node?.range ? at(node.range[0]) : start, message: fillMessage(issue.message, keysOfPath(issue.path), data), severity: "error" });
  }
  problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  // Keep what could be read even when parts could not.
  const emptied = new Set<object>();
  let issues: readonly Issue[] = checked.issues;
  for (let round = 0; round < 5 && salvage(data, issues, emptied); round++) {
    const again = v.safeParse(CheckSpecSchema, data);
    if (again.success) {
      result.spec = again.output;
      break;
    }
    issues = again.issues;
  }
  // valibot's output copies each blank: find the emptied ones by position.
  const inputBlanks = (data as { blanks?: unknown[] }).blanks ?? [];
  result.spec?.blanks.forEach((blank, n) => {
    if (emptied.has(inputBlanks[n] as object)) blank.expect = "";
  });
  return result;
}
