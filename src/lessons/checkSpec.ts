/**
 * A challenge's ```check block: YAML read with the `yaml` package into the `CheckSpec` of
 * `src/protocol/lesson.ts`, with every unknown key and wrongly typed value reported at its own
 * line and column in the episode file.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";
import { LAYER_CLASS_NAMES } from "../protocol/modelSpec";
import type {
  BlankSpec,
  CheckSpec,
  CompileExpectation,
  FitExpectation,
  LessonLocation,
  LessonProblem,
  ModelExpectation,
} from "../protocol/lesson";
import { isPythonExpression } from "../python";
import { closestName } from "./suggest";

export interface ParsedCheckBlock {
  spec?: CheckSpec;
  problems: LessonProblem[];
  /** Where the `blanks` key is, and where each blank's entry starts (for later messages). */
  blanksLocation: LessonLocation;
  blankLocations: LessonLocation[];
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
  const nodeAt = (node: Node | null | undefined, fallback?: LessonLocation): LessonLocation =>
    node?.range ? at(node.range[0]) : (fallback ?? at(0));
  const error = (location: LessonLocation, message: string): void => {
    problems.push({ location, message, severity: "error" });
  };
  const start = at(0);
  const result: ParsedCheckBlock = { problems, blanksLocation: start, blankLocations: [] };

  // Only the first YAML error: the ones after it are mostly the parser losing its footing.
  for (const e of [...doc.errors, ...doc.warnings].slice(0, 1)) {
    const first = e.message.split("\n")[0] ?? e.message;
    const location = at(e.pos[0]);
    problems.push({ location, message: `check block: ${first.replace(/ at line \d+, column \d+:?$/, "")}`, severity: "error" });
  }
  if (doc.errors.length > 0) return result;

  const root = doc.contents;
  if (!isMap(root)) {
    error(nodeAt(root, start), "the check block must be a YAML mapping with a `blanks` list");
    return result;
  }

  /** Reads a mapping's keys against a table of known keys, reporting unknown and missing ones. */
  const keysOf = (
    map: YAMLMap,
    what: string,
    known: readonly string[],
    required: readonly string[] = [],
    owner?: LessonLocation,
  ): Map<string, Pair<Scalar, Node | null>> => {
    const found = new Map<string, Pair<Scalar, Node | null>>();
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : "";
      if (!known.includes(key)) {
        const hint = closestName(key, known);
        error(
          nodeAt(keyNode, start),
          `unknown key \`${key}\` in ${what}${hint ? `; did you mean \`${hint}\`?` : `; known keys: ${known.join(", ")}`}`,
        );
        continue;
      }
      found.set(key, pair as Pair<Scalar, Node | null>);
    }
    for (const key of required) {
      if (!found.has(key)) error(owner ?? nodeAt(map, start), `${what} has no \`${key}\``);
    }
    return found;
  };

  const text = (pair: Pair<Scalar, Node | null> | undefined, what: string): string | undefined => {
    if (!pair) return undefined;
    const value = pair.value;
    if (isScalar(value) && typeof value.value === "string") return value.value;
    error(nodeAt(value, nodeAt(pair.key)), `${what} must be text`);
    return undefined;
  };
  /** A Python expression: a YAML string, or a plain number kept exactly as written (`0.10`). */
  const expression = (value: Node | null | undefined, fallback: LessonLocation, what: string): string | undefined => {
    let result: string | undefined;
    if (isScalar(value) && typeof value.value === "string") result = value.value;
    else if (isScalar(value) && typeof value.value === "number" && value.type === "PLAIN") result = value.source ?? String(value.value);
    if (result === undefined) {
      error(nodeAt(value, fallback), `${what} must be a Python expression written as a quoted string, e.g. "16" or "'relu'"`);
      return undefined;
    }
    if (!isPythonExpression(result)) {
      error(nodeAt(value, fallback), `${what} \`${result}\` is not one Python expression`);
      return undefined;
    }
    return result;
  };
  const integer = (pair: Pair<Scalar, Node | null> | undefined, what: string, min = 0): number | undefined => {
    if (!pair) return undefined;
    const value = pair.value;
    if (isScalar(value) && typeof value.value === "number" && Number.isInteger(value.value) && value.value >= min) return value.value;
    error(nodeAt(value, nodeAt(pair.key)), `${what} must be a whole number${min > 0 ? ` of at least ${min}` : ""}`);
    return undefined;
  };
  const integerList = (value: Node | null | undefined, fallback: LessonLocation, what: string): number[] | undefined => {
    if (!isSeq(value)) {
      error(nodeAt(value, fallback), `${what} must be a list of whole numbers, e.g. [32, 32, 3]`);
      return undefined;
    }
    const out: number[] = [];
    for (const item of value.items as Node[]) {
      if (isScalar(item) && typeof item.value === "number" && Number.isInteger(item.value) && item.value > 0) out.push(item.value);
      else {
        error(nodeAt(item, fallback), `${what} must hold positive whole numbers`);
        return undefined;
      }
    }
    return out;
  };
  const textList = (pair: Pair<Scalar, Node | null> | undefined, what: string): string[] | undefined => {
    if (!pair) return undefined;
    const value = pair.value;
    if (!isSeq(value)) {
      error(nodeAt(value, nodeAt(pair.key)), `${what} must be a list`);
      return undefined;
    }
    const out: string[] = [];
    for (const item of value.items as Node[]) {
      if (isScalar(item) && typeof item.value === "string") out.push(item.value);
      else error(nodeAt(item, nodeAt(pair.key)), `${what} must hold text`);
    }
    return out;
  };

  const top = keysOf(root, "the check block", ["blanks", "model", "compile", "fit"], ["blanks"]);
  const spec: CheckSpec = { blanks: [] };

  const blanksPair = top.get("blanks");
  if (blanksPair) {
    result.blanksLocation = nodeAt(blanksPair.key);
    const list = blanksPair.value;
    if (!isSeq(list)) {
      error(nodeAt(list, result.blanksLocation), "`blanks` must be a list, one entry per `_____` in the starter file");
    } else {
      for (const [index, item] of (list.items as Node[]).entries()) {
        const where = `blank ${index + 1}`;
        const itemLocation = nodeAt(item, result.blanksLocation);
        result.blankLocations.push(itemLocation);
        if (!isMap(item)) {
          error(itemLocation, `${where} must be a mapping with \`id\` and \`expect\``);
          continue;
        }
        const keys = keysOf(item, where, ["id", "expect", "accept", "mistakes", "hint", "explain"], ["id", "expect"]);
        const id = text(keys.get("id"), `the id of ${where}`);
        const label = id ? `blank \`${id}\`` : where;
        const expectPair = keys.get("expect");
        const expect = expectPair ? expression(expectPair.value, nodeAt(expectPair.key), `\`expect\` of ${label}`) : undefined;
        const blank: BlankSpec = { id: id ?? "", expect: expect ?? "" };
        const acceptPair = keys.get("accept");
        if (acceptPair) {
          if (!isSeq(acceptPair.value)) error(nodeAt(acceptPair.value, nodeAt(acceptPair.key)), `\`accept\` of ${label} must be a list`);
          else {
            blank.accept = [];
            for (const a of acceptPair.value.items as Node[]) {
              const value = expression(a, nodeAt(acceptPair.key), `an \`accept\` entry of ${label}`);
              if (value !== undefined) blank.accept.push(value);
            }
          }
        }
        const mistakesPair = keys.get("mistakes");
        if (mistakesPair) {
          if (!isSeq(mistakesPair.value)) error(nodeAt(mistakesPair.value, nodeAt(mistakesPair.key)), `\`mistakes\` of ${label} must be a list`);
          else {
            blank.mistakes = [];
            for (const m of mistakesPair.value.items as Node[]) {
              if (!isMap(m)) {
                error(nodeAt(m, nodeAt(mistakesPair.key)), `each mistake of ${label} needs \`answer\` and \`message\``);
                continue;
              }
              const mk = keysOf(m, `a mistake of ${label}`, ["answer", "message"], ["answer", "message"]);
              const answerPair = mk.get("answer");
              const answer = answerPair ? expression(answerPair.value, nodeAt(answerPair.key), `a mistake's \`answer\` of ${label}`) : undefined;
              const message = text(mk.get("message"), `a mistake's \`message\` of ${label}`);
              if (answer !== undefined && message !== undefined) blank.mistakes.push({ answer, message });
            }
          }
        }
        const hint = text(keys.get("hint"), `the hint of ${label}`);
        if (hint !== undefined) blank.hint = hint;
        const explain = text(keys.get("explain"), `\`explain\` of ${label}`);
        if (explain !== undefined) blank.explain = explain;
        spec.blanks.push(blank);
      }
    }
  }

  const modelPair = top.get("model");
  if (modelPair) {
    const map = modelPair.value;
    if (!isMap(map)) {
      error(nodeAt(map, nodeAt(modelPair.key)), "`model` must be a mapping");
    } else {
      const keys = keysOf(map, "`model`", ["function", "variable", "inputShape", "layers", "outputShapes", "totalParams"], ["inputShape"], nodeAt(modelPair.key));
      const model: ModelExpectation = { inputShape: [] };
      const fn = text(keys.get("function"), "`model.function`");
      const variable = text(keys.get("variable"), "`model.variable`");
      if (fn !== undefined) model.function = fn;
      if (variable !== undefined) model.variable = variable;
      if (!keys.has("function") && !keys.has("variable")) error(nodeAt(modelPair.key), "`model` names the `function` that builds the model or the `variable` that holds it");
      if (keys.has("function") && keys.has("variable")) error(nodeAt(keys.get("variable")!.key), "`model` has either `function` or `variable`, not both");
      const shapePair = keys.get("inputShape");
      if (shapePair) model.inputShape = integerList(shapePair.value, nodeAt(shapePair.key), "`model.inputShape`") ?? [];
      const layers = textList(keys.get("layers"), "`model.layers`");
      if (layers) {
        model.layers = layers;
        const layersNode = keys.get("layers")!.value;
        for (const [n, name] of layers.entries()) {
          if (!(LAYER_CLASS_NAMES as readonly string[]).includes(name)) {
            const item = isSeq(layersNode) ? (layersNode.items[n] as Node | undefined) : undefined;
            error(nodeAt(item, nodeAt(keys.get("layers")!.key)), `unknown layer class \`${name}\`; known: ${LAYER_CLASS_NAMES.join(", ")}`);
          }
        }
      }
      const shapesPair = keys.get("outputShapes");
      if (shapesPair) {
        if (!isSeq(shapesPair.value)) error(nodeAt(shapesPair.value, nodeAt(shapesPair.key)), "`model.outputShapes` must be a list of shapes");
        else {
          const shapes: number[][] = [];
          for (const item of shapesPair.value.items as Node[]) {
            const shape = integerList(item, nodeAt(shapesPair.key), "each of `model.outputShapes`");
            if (shape) shapes.push(shape);
          }
          model.outputShapes = shapes;
          if (layers && shapes.length === shapesPair.value.items.length && shapes.length !== layers.length) {
            error(nodeAt(shapesPair.key), `\`model.outputShapes\` has ${shapes.length} shapes but \`model.layers\` has ${layers.length} layers`);
          }
        }
      }
      const total = integer(keys.get("totalParams"), "`model.totalParams`");
      if (total !== undefined) model.totalParams = total;
      spec.model = model;
    }
  }

  const compilePair = top.get("compile");
  if (compilePair) {
    const map = compilePair.value;
    if (!isMap(map)) {
      error(nodeAt(map, nodeAt(compilePair.key)), "`compile` must be a mapping");
    } else {
      const keys = keysOf(map, "`compile`", ["optimizer", "loss", "metrics"]);
      const compile: CompileExpectation = {};
      const optimizer = text(keys.get("optimizer"), "`compile.optimizer`");
      if (optimizer !== undefined) compile.optimizer = optimizer;
      const loss = text(keys.get("loss"), "`compile.loss`");
      if (loss !== undefined) compile.loss = loss;
      const metrics = textList(keys.get("metrics"), "`compile.metrics`");
      if (metrics !== undefined) compile.metrics = metrics;
      spec.compile = compile;
    }
  }

  const fitPair = top.get("fit");
  if (fitPair) {
    const map = fitPair.value;
    if (!isMap(map)) {
      error(nodeAt(map, nodeAt(fitPair.key)), "`fit` must be a mapping");
    } else {
      const keys = keysOf(map, "`fit`", ["epochs", "batchSize", "validationData"]);
      const fit: FitExpectation = {};
      const epochs = integer(keys.get("epochs"), "`fit.epochs`", 1);
      if (epochs !== undefined) fit.epochs = epochs;
      const batchSize = integer(keys.get("batchSize"), "`fit.batchSize`", 1);
      if (batchSize !== undefined) fit.batchSize = batchSize;
      const vdPair = keys.get("validationData");
      if (vdPair) {
        if (isScalar(vdPair.value) && typeof vdPair.value.value === "boolean") fit.validationData = vdPair.value.value;
        else error(nodeAt(vdPair.value, nodeAt(vdPair.key)), "`fit.validationData` must be true or false");
      }
      spec.fit = fit;
    }
  }

  // Blank ids name blanks in messages and tests, so two blanks may not share one.
  const seen = new Map<string, number>();
  for (const [n, blank] of spec.blanks.entries()) {
    if (!blank.id) continue;
    if (seen.has(blank.id)) {
      error(result.blankLocations[n] ?? start, `two blanks share the id \`${blank.id}\``);
    }
    seen.set(blank.id, n);
  }
  // Keep what could be read even when parts could not: the lint reports the problems, and the
  // panel can still show the challenge.
  result.spec = spec;
  return result;
}
