/**
 * The evaluator: walks the syntax tree of a learner's file and computes, without running
 * anything, the values the lessons' Python produces — models, compile and fit settings, the
 * shape and parameter count of every layer call — plus diagnostics at exact ranges.
 *
 * It is an abstract interpreter of a small subset of Python (see `docs` in index.ts). Whatever it
 * does not understand becomes an `unknown` value; statements outside the subset get an info
 * diagnostic. It never throws: a step and time budget stops runaway evaluation.
 */
import type { SyntaxNode } from "@lezer/common";
import {
  type CompileSpec,
  type FitSpec,
  type LayerSpec,
  type LossName,
  type MetricName,
  type ModelSpec,
  type OptimizerSpec,
  type SourceRange,
} from "../protocol/modelSpec";
import { KERAS_ACTIVATION_NAMES } from "../keras/activations";
import type { KerasProblem } from "../keras/arguments";
import { buildLayer, INPUT_SIGNATURE, KERAS_LAYERS_MODULE, readInputShape, takesActivation } from "../keras/layers";
import { bindCall, type ArgumentSource, type BindError, type BindResult } from "../keras/python";
import {
  buildOptimizer,
  COMPILE_SIGNATURE,
  FIT_SIGNATURE,
  isKerasOptimizer,
  labelsProblem,
  KERAS_LOSS_NAMES,
  KERAS_METRIC_NAMES,
  KERAS_OPTIMIZER_CLASSES,
  lookupLoss,
  lookupMetric,
  lookupOptimizer,
  metricsContainer,
  MODEL_SIGNATURE,
  nameProblem,
  PREDICT_SIGNATURE,
  EVALUATE_SIGNATURE,
  readFit,
  savedModelPathProblem,
  SEQUENTIAL_SIGNATURE,
  trainableOptimizer,
} from "../keras/training";
import { bindArguments, defaultLayerName, inferLayer, LAYER_NAMES, toPy, toPyCall, type BoundArgumentInfo, type CallArguments, type LayerProblem } from "./keras";
import { childrenOf, isBlank, nodeRange, nodeText, parsePython, pythonSyntaxError, rangeOf, type ParsedSource } from "../python";
import type { Analysis, AnalyzeOptions, BoundCallInfo, Diagnostic, DiagnosticCode, GridSearchInfo, LayerCallInfo, ModelInfo, Severity, TrainingRun } from "./analysis";
import { noArguments, type ArgumentNodes, type Interpreter } from "./interpreter";
import { defaultTrainingMachine, memoryWarnings } from "./memory";
import { loadData, toCategorical } from "./kerasData";
import { classifier, gridSearch, runGrid, trainTestSplit } from "./sklearn";
import * as wording from "./wording";
import { describeShape, fingerprint, float, NONE, num, UNKNOWN, type FunctionValue, type GraphNode, type ModelValue, type SequentialValue, type Shape, type Value } from "./values";

const DEFAULT_INPUT_SHAPE = [32, 32, 3];

/** Statements the lessons never need; they are skipped with an info diagnostic. */
const OUTSIDE_SUBSET: Record<string, string> = {
  WhileStatement: "A while loop",
  ClassDefinition: "A class",
  TryStatement: "A try statement",
  WithStatement: "A with statement",
  DecoratedStatement: "A decorator",
  LambdaExpression: "A lambda",
  ArrayComprehensionExpression: "A list comprehension",
  DictionaryComprehensionExpression: "A dict comprehension",
  SetComprehensionExpression: "A set comprehension",
  ComprehensionExpression: "A generator expression",
};

class BudgetExceeded extends Error {}

/** Thrown when the trace departs from the one it is compared with: the rest cannot make it equal. */
class TraceDiverged extends Error {}

interface Scope {
  vars: Map<string, Value>;
  parent: Scope | null;
}

type Completion = { kind: "normal" } | { kind: "return"; value: Value };
const NORMAL: Completion = { kind: "normal" };

/** A call's argument values, plus the node of each to point diagnostics at. */
/** Libraries whose calls the checker models (Keras through `keras` or `tensorflow`, NumPy, scikit-learn, SciKeras). */
const FOLLOWED_LIBRARIES = new Set(["keras", "tensorflow", "numpy", "sklearn", "scikeras"]);
/**
 * Libraries the lesson uses around the model (plots, tables) and Python's own modules: their values
 * are unknown to the checker and cannot change the model, so they are not worth a word.
 */
const QUIET_LIBRARIES = new Set(["matplotlib", "pandas", "seaborn", "PIL", "os", "sys", "math", "random", "time", "pathlib", "json", "csv", "collections", "itertools", "functools"]);

/** True for a library the checker neither follows nor can safely ignore (`torch`, `jax`). */
function isUnfollowedLibrary(path: string): boolean {
  const root = path.split(".")[0] ?? path;
  return root !== "" && !FOLLOWED_LIBRARIES.has(root) && !QUIET_LIBRARIES.has(root) && !root.startsWith("builtins");
}

/** Python's own canonical names: `tensorflow.keras.layers` is `keras.layers`. */
function canonicalPath(path: string): string {
  if (path === "tensorflow.keras" || path.startsWith("tensorflow.keras.")) return `keras${path.slice("tensorflow.keras".length)}`;
  if (path.startsWith("keras.src.")) return `keras.${path.slice("keras.src.".length)}`;
  return path;
}

class Evaluator implements Interpreter {
  readonly diagnostics: Diagnostic[] = [];
  /**
   * A statement outside the subset was skipped, or a blank is still where a name gets assigned
   * (`_____ = load_model(...)`): names these might bind are unknown, not undefined.
   */
  private unboundNamesPossible = false;
  readonly trace: string[] = [];
  /** Dicts given to GridSearchCV as param_grid (their effect is the grid's record). */
  readonly paramGrids = new Set<Value>();
  readonly layerCalls = new Map<number, LayerCallInfo>();
  readonly models: { value: ModelValue; info: ModelInfo }[] = [];
  readonly runs: TrainingRun[] = [];
  readonly grids: GridSearchInfo[] = [];
  readonly boundCalls = new Map<number, BoundCallInfo>();
  private readonly module: Scope = { vars: new Map(), parent: null };
  private readonly functionsCalled = new Set<number>();
  private readonly functionStack: string[] = [];
  private readonly reportedOnce = new Set<string>();
  /** Graph node id -> offset of the call that made it, to find a model's output layer call. */
  private readonly callOfNode = new Map<number, number>();
  private readonly childrenOfNode = new Map<SyntaxNode, readonly SyntaxNode[]>();
  private steps = 0;
  private nextNodeId = 0;
  private readonly deadline: number;
  private readonly maxSteps: number;
  private readonly inputShape: number[];

  /**
   * @param compareWith the trace of another analysis: evaluation stops at the first entry that
   * differs from it (see `hasSameEffect`).
   */
  constructor(
    readonly source: ParsedSource,
    options: AnalyzeOptions,
    private readonly compareWith?: readonly string[],
  ) {
    this.maxSteps = options.maxSteps ?? 200_000;
    this.deadline = Date.now() + (options.maxMillis ?? 200);
    this.inputShape = options.inputShape ?? DEFAULT_INPUT_SHAPE;
  }

  run(): void {
    const script = this.source.tree.topNode;
    this.execBlock(this.children(script), this.module);
    // Functions nobody called are still analysed (with unknown arguments) so that every layer
    // line gets its shape and the blanks inside them can be checked.
    for (const value of [...this.module.vars.values()]) {
      if (value.kind === "function" && !this.functionsCalled.has(value.node.from)) {
        this.callFunction(value, noArguments(), value.node);
      }
    }
    for (const [name, value] of this.module.vars) {
      if (value.kind === "model") {
        for (const model of this.models) if (model.value === value) model.info.variable = name;
      }
      // A dict handed to a grid search as its param_grid is recorded by the grid, as what Keras 3
      // does with it; the spelling of its names ('RMSProp' for 'RMSprop') changes nothing.
      if (value.kind !== "function" && value.kind !== "module" && !this.paramGrids.has(value)) this.record(`var ${name}=${fingerprint(value)}`);
    }
  }

  // ---- bookkeeping -------------------------------------------------------------------------

  private tick(): void {
    this.steps++;
    if (this.steps > this.maxSteps || ((this.steps & 255) === 0 && Date.now() > this.deadline)) throw new BudgetExceeded();
  }

  record(entry: string): void {
    if (this.compareWith && this.compareWith[this.trace.length] !== entry) throw new TraceDiverged();
    this.trace.push(entry);
  }

  report(node: SyntaxNode | SourceRange, severity: Severity, code: DiagnosticCode, message: string): void {
    const range = "start" in node ? node : nodeRange(this.source, node);
    // A function analysed several times (called in a loop) must not repeat its diagnostics.
    const key = `${range.start.line}:${range.start.character}:${code}:${message}`;
    if (this.reportedOnce.has(key)) return;
    this.reportedOnce.add(key);
    this.diagnostics.push({ range, severity, code, message });
  }

  line(node: SyntaxNode): number {
    return nodeRange(this.source, node).start.line + 1;
  }

  // ---- statements --------------------------------------------------------------------------

  /** Runs `statements` from index `from` on (1 skips the `:` that starts a body). */
  private execBlock(statements: readonly SyntaxNode[], scope: Scope, from = 0): Completion {
    for (let index = from; index < statements.length; index++) {
      const completion = this.exec(statements[index] as SyntaxNode, scope);
      if (completion.kind === "return") return completion;
    }
    return NORMAL;
  }

  /**
   * The children of a node, without comments, computed once per node: a function body runs once
   * per call, and every walk of the tree makes new node objects and arrays for the GC to collect.
   * Nodes reached through this cache are the same objects each time, so they key it.
   */
  private children(node: SyntaxNode): readonly SyntaxNode[] {
    let children = this.childrenOfNode.get(node);
    if (!children) {
      children = childrenOf(node);
      this.childrenOfNode.set(node, children);
    }
    return children;
  }

  private exec(node: SyntaxNode, scope: Scope): Completion {
    this.tick();
    if (node.type.isError) return NORMAL;
    switch (node.name) {
      case "ImportStatement":
        this.execImport(node, scope);
        return NORMAL;
      case "AssignStatement":
        this.execAssign(node, scope);
        return NORMAL;
      case "UpdateStatement": {
        const [target, operator, valueNode] = this.children(node);
        if (target?.name === "VariableName" && operator && valueNode) {
          const current = this.lookup(target, scope);
          scope.vars.set(nodeText(this.source, target), this.binary(current, nodeText(this.source, operator).slice(0, -1), this.eval(valueNode, scope), node));
        }
        return NORMAL;
      }
      case "ExpressionStatement": {
        const expression = this.children(node)[0];
        if (expression) this.eval(expression, scope);
        return NORMAL;
      }
      case "FunctionDefinition":
        this.execDef(node, scope);
        return NORMAL;
      case "ReturnStatement": {
        const values = this.children(node).slice(1);
        return { kind: "return", value: this.evalList(values, scope) };
      }
      case "ForStatement":
        return this.execFor(node, scope);
      case "IfStatement":
        return this.execIf(node, scope);
      case "StatementGroup":
        return this.execBlock(this.children(node).filter((child) => child.name !== ";"), scope);
      case "PassStatement":
      case "BreakStatement":
      case "ContinueStatement":
        return NORMAL;
      default: {
        const what = OUTSIDE_SUBSET[node.name] ?? "This statement";
        this.report(node, "info", "outside-subset", `${what} is outside what the lessons check, so the checker skips line ${this.line(node)}.`);
        this.unboundNamesPossible = true;
        return NORMAL;
      }
    }
  }

  private execImport(node: SyntaxNode, scope: Scope): void {
    const children = this.children(node);
    const importIndex = children.findIndex((child) => child.name === "import");
    const isFrom = children[0]?.name === "from";
    const fromPath = isFrom ? children.slice(1, importIndex).map((child) => nodeText(this.source, child)).join("") : "";
    // Each imported name is a run of tokens ended by a comma: `a.b`, `a.b as c`, `a as c`.
    let group: SyntaxNode[] = [];
    const bind = (): void => {
      const asIndex = group.findIndex((child) => child.name === "as");
      const pathNodes = asIndex < 0 ? group : group.slice(0, asIndex);
      const alias = asIndex < 0 ? undefined : group[asIndex + 1];
      const dotted = pathNodes.map((child) => nodeText(this.source, child)).join("");
      group = [];
      if (dotted === "" || dotted === "*") return;
      const imported = isFrom ? fromPath : dotted;
      if (isUnfollowedLibrary(imported)) {
        const root = imported.split(".")[0] ?? imported;
        this.report(node, "info", "outside-subset", `Line ${this.line(node)}: the checker does not follow ${root}, so nothing done with it is checked; the rest of the file still is.`);
      }
      if (isFrom) {
        scope.vars.set(alias ? nodeText(this.source, alias) : dotted, this.resolvePath(`${fromPath}.${dotted}`));
      } else if (alias) {
        scope.vars.set(nodeText(this.source, alias), this.resolvePath(dotted));
      } else {
        const first = dotted.split(".")[0] ?? dotted;
        scope.vars.set(first, this.resolvePath(first));
      }
    };
    for (const child of children.slice(importIndex + 1)) {
      if (child.name === ",") bind();
      else if (child.name !== "(" && child.name !== ")") group.push(child);
    }
    bind();
  }

  private execAssign(node: SyntaxNode, scope: Scope): void {
    const children = this.children(node);
    const groups: SyntaxNode[][] = [[]];
    for (const child of children) {
      if (child.name === "AssignOp") groups.push([]);
      else if (child.name !== "TypeDef") groups[groups.length - 1]?.push(child);
    }
    const valueNodes = groups.pop() ?? [];
    if (groups.length === 0) {
      this.evalList(valueNodes, scope);
      return;
    }
    const value = this.evalList(valueNodes, scope);
    for (const targets of groups) this.assignTargets(targets, value, scope);
  }

  /** Binds `a`, `a, b` or `(a, b), (c, d)` to a value, unpacking tuples and lists. */
  private assignTargets(targets: SyntaxNode[], value: Value, scope: Scope): void {
    const items = targets.filter((child) => child.name !== ",");
    if (items.length === 1 && !targets.some((child) => child.name === ",")) {
      const [target] = items;
      if (target) this.assignTarget(target, value, scope);
      return;
    }
    this.unpack(items, value, scope, targets[0] ?? null);
  }

  private unpack(items: SyntaxNode[], value: Value, scope: Scope, at: SyntaxNode | null): void {
    if ((value.kind === "tuple" || value.kind === "list") && value.items.length !== items.length && at) {
      this.report(at, "error", "shape", `Line ${this.line(at)} unpacks ${value.items.length} values into ${items.length} names; give one name per value.`);
    }
    items.forEach((item, index) => {
      const part = value.kind === "tuple" || value.kind === "list" ? (value.items[index] ?? UNKNOWN) : UNKNOWN;
      this.assignTarget(item, part, scope);
    });
  }

  private assignTarget(target: SyntaxNode, value: Value, scope: Scope): void {
    if (target.name === "VariableName" && isBlank(this.source, target)) this.unboundNamesPossible = true;
    if (target.name === "VariableName") {
      scope.vars.set(nodeText(this.source, target), value);
    } else if (target.name === "TupleExpression" || target.name === "ArrayExpression" || target.name === "ParenthesizedExpression") {
      const inner = this.children(target).filter((child) => !["(", ")", "[", "]", ","].includes(child.name));
      if (target.name === "ParenthesizedExpression" && inner.length === 1 && inner[0]) this.assignTarget(inner[0], value, scope);
      else this.unpack(inner, value, scope, target);
    } else if (target.name === "MemberExpression") {
      // `history_data[key] = value` or `obj.attr = value`: kept out of the model, so ignored.
      this.eval(this.children(target)[0] ?? target, scope);
    }
  }

  private execDef(node: SyntaxNode, scope: Scope): void {
    const children = this.children(node);
    const nameNode = children.find((child) => child.name === "VariableName");
    const paramList = children.find((child) => child.name === "ParamList");
    if (!nameNode) return;
    const params: FunctionValue["params"] = [];
    if (paramList) {
      const parts = this.children(paramList).filter((child) => child.name !== "(" && child.name !== ")");
      for (let index = 0; index < parts.length; index++) {
        const part = parts[index];
        if (part?.name !== "VariableName") continue;
        const param: FunctionValue["params"][number] = { name: nodeText(this.source, part) };
        if (parts[index + 1]?.name === "AssignOp" && parts[index + 2]) {
          param.defaultValue = this.eval(parts[index + 2] as SyntaxNode, scope);
          index += 2;
        }
        params.push(param);
      }
    }
    scope.vars.set(nodeText(this.source, nameNode), { kind: "function", name: nodeText(this.source, nameNode), node, params });
  }

  private execFor(node: SyntaxNode, scope: Scope): Completion {
    const children = this.children(node);
    const inIndex = children.findIndex((child) => child.name === "in");
    const body = children.find((child) => child.name === "Body");
    if (inIndex < 0 || !body) return NORMAL;
    const targets = children.slice(1, inIndex);
    const iterable = this.evalList(children.slice(inIndex + 1, children.indexOf(body)), scope);
    const items = iterable.kind === "list" || iterable.kind === "tuple" ? iterable.items : [UNKNOWN];
    for (const item of items) {
      this.assignTargets(targets, item, scope);
      const completion = this.execBlock(this.children(body), scope, 1);
      if (completion.kind === "return") return completion;
    }
    return NORMAL;
  }

  private execIf(node: SyntaxNode, scope: Scope): Completion {
    // Branches whose condition is known run alone; otherwise the first branch stands for all.
    const children = this.children(node);
    for (let index = 0; index < children.length; index++) {
      const child = children[index];
      if (child?.name === "else") {
        const body = children[index + 1];
        return body ? this.execBlock(this.children(body), scope, 1) : NORMAL;
      }
      if (child?.name !== "if" && child?.name !== "elif") continue;
      const condition = children[index + 1];
      const body = children[index + 2];
      if (!condition || body?.name !== "Body") return NORMAL;
      const value = this.eval(condition, scope);
      const truth = value.kind === "bool" ? value.value : value.kind === "number" ? value.value !== 0 : null;
      if (truth === false) continue;
      return this.execBlock(this.children(body), scope, 1);
    }
    return NORMAL;
  }

  // ---- expressions -------------------------------------------------------------------------

  /** Values separated by commas (`return a, b`, `x = 1, 2`) form a tuple. */
  private evalList(nodes: SyntaxNode[], scope: Scope): Value {
    const items = nodes.filter((child) => child.name !== ",");
    if (items.length === 1 && !nodes.some((child) => child.name === ",")) return items[0] ? this.eval(items[0], scope) : NONE;
    if (items.length === 0) return NONE;
    return { kind: "tuple", items: items.map((item) => this.eval(item, scope)) };
  }

  eval(node: SyntaxNode, scope: Scope): Value {
    this.tick();
    if (node.type.isError) return UNKNOWN;
    switch (node.name) {
      case "Number":
        return this.number(node);
      case "String":
        return { kind: "string", value: this.stringValue(node) };
      case "ContinuedString":
        return { kind: "string", value: this.children(node).map((part) => this.stringValue(part)).join("") };
      case "Boolean":
        return { kind: "bool", value: nodeText(this.source, node) === "True" };
      case "None":
        return NONE;
      case "VariableName":
        return this.lookup(node, scope);
      case "ParenthesizedExpression": {
        const inner = this.children(node)[1];
        return inner ? this.eval(inner, scope) : UNKNOWN;
      }
      case "TupleExpression":
      case "ArrayExpression": {
        const items = this.children(node)
          .filter((child) => !["(", ")", "[", "]", ","].includes(child.name))
          .map((child) => this.eval(child, scope));
        return { kind: node.name === "TupleExpression" ? "tuple" : "list", items };
      }
      case "DictionaryExpression":
        return this.dictionary(node, scope);
      case "MemberExpression":
        return this.member(node, scope);
      case "CallExpression":
        return this.call(node, scope);
      case "BinaryExpression": {
        const [left, operator, right] = this.children(node);
        if (!left || !operator || !right) return UNKNOWN;
        return this.binary(this.eval(left, scope), nodeText(this.source, operator), this.eval(right, scope), node);
      }
      case "UnaryExpression": {
        const [operator, operand] = this.children(node);
        if (!operator || !operand) return UNKNOWN;
        const value = this.eval(operand, scope);
        const op = nodeText(this.source, operator);
        if (op === "-" && value.kind === "number") return { ...value, value: -value.value };
        if (op === "+" && value.kind === "number") return value;
        if (op === "not" && value.kind === "bool") return { kind: "bool", value: !value.value };
        return UNKNOWN;
      }
      case "FormatString":
        return UNKNOWN;
      default: {
        const what = OUTSIDE_SUBSET[node.name];
        if (what) this.report(node, "info", "outside-subset", `${what} is outside what the lessons check; the checker treats its value as unknown.`);
        return UNKNOWN;
      }
    }
  }

  private number(node: SyntaxNode): Value {
    const text = nodeText(this.source, node).split("_").join("");
    const last = text.charAt(text.length - 1);
    if (last === "j" || last === "J") return UNKNOWN;
    const value = Number(text.endsWith("L") ? text.slice(0, -1) : text);
    if (Number.isNaN(value)) return UNKNOWN;
    // Python tells 1.0 from 1, and so does Keras (learning_rate=1 raises); hex, octal and binary literals are ints.
    const isFloat = !/^0[xob]/i.test(text) && /[.eE]/.test(text);
    return isFloat ? float(value) : num(value);
  }

  private stringValue(node: SyntaxNode): string {
    const text = nodeText(this.source, node);
    let start = 0;
    while (start < text.length && text.charAt(start) !== "'" && text.charAt(start) !== '"') start++;
    const quote = text.charAt(start);
    const triple = text.startsWith(quote.repeat(3), start);
    const width = triple ? 3 : 1;
    return text.slice(start + width, Math.max(start + width, text.length - width));
  }

  private lookup(node: SyntaxNode, scope: Scope): Value {
    const name = nodeText(this.source, node);
    for (let current: Scope | null = scope; current; current = current.parent) {
      const value = current.vars.get(name);
      if (value !== undefined) return value;
    }
    if (BUILTINS.has(name)) return { kind: "module", path: `builtins.${name}` };
    if (!isBlank(this.source, node)) {
      // Python raises NameError here. A statement the checker skipped (`with`, `class`, ...) may
      // have bound the name, so after one the checker only says it does not know the name.
      if (this.unboundNamesPossible) this.report(node, "info", "undefined-name", `\`${name}\` is not defined in this file before line ${this.line(node)}; the checker treats its value as unknown.`);
      else this.report(node, "error", "undefined-name", `Line ${this.line(node)}: \`${name}\` is not defined, so Python stops here with a NameError. Check its spelling, or assign it before this line.`);
    }
    return UNKNOWN;
  }

  private dictionary(node: SyntaxNode, scope: Scope): Value {
    const entries = new Map<string, Value>();
    const parts = this.children(node).filter((child) => !["{", "}", ","].includes(child.name));
    for (let index = 0; index < parts.length; index += 3) {
      const keyNode = parts[index];
      const valueNode = parts[index + 2];
      if (!keyNode || !valueNode || parts[index + 1]?.name !== ":") return UNKNOWN;
      const key = this.eval(keyNode, scope);
      const value = this.eval(valueNode, scope);
      if (key.kind !== "string") return UNKNOWN;
      entries.set(key.value, value);
    }
    return { kind: "dict", entries };
  }

  private member(node: SyntaxNode, scope: Scope): Value {
    const children = this.children(node);
    const objectNode = children[0];
    if (!objectNode) return UNKNOWN;
    // `255.` is a float in Python; @lezer/python reads it as the number 255 followed by a `.` with nothing after it.
    if (objectNode.name === "Number" && /^[0-9_]+\.$/.test(nodeText(this.source, node).trim())) return float(Number(nodeText(this.source, objectNode).split("_").join("")));
    const object = this.eval(objectNode, scope);
    const property = children.find((child) => child.name === "PropertyName");
    if (property && object.kind === "none") {
      // Python: AttributeError, 'NoneType' object has no attribute ... (a function that returns nothing).
      this.report(node, "error", "undefined-name", `Line ${this.line(node)}: the value before .${nodeText(this.source, property)} is None, which has no \`${nodeText(this.source, property)}\`; Python stops with an AttributeError. Check what was assigned to it (a function without a return gives None).`);
      return UNKNOWN;
    }
    if (property) return this.attribute(object, nodeText(this.source, property));
    // Subscript: `a[1]`, `a[1:]`, `a['key']`.
    const inside = children.slice(children.findIndex((child) => child.name === "[") + 1, -1);
    if (inside.some((child) => child.name === ",")) return UNKNOWN;
    const colonIndexes = inside.map((child, index) => (child.name === ":" ? index : -1)).filter((index) => index >= 0);
    if (colonIndexes.length === 0) {
      const [indexNode] = inside;
      return indexNode ? this.index(object, this.eval(indexNode, scope)) : UNKNOWN;
    }
    const bounds: (number | null | undefined)[] = [];
    let partStart = 0;
    for (const colon of [...colonIndexes, inside.length]) {
      const part = inside.slice(partStart, colon);
      const value = part[0] ? this.eval(part[0], scope) : null;
      bounds.push(value === null || value.kind === "none" ? null : value.kind === "number" ? value.value : undefined);
      partStart = colon + 1;
    }
    if (bounds.includes(undefined)) return UNKNOWN;
    return this.slice(object, bounds[0] ?? null, bounds[1] ?? null, bounds[2] ?? null);
  }

  private index(object: Value, key: Value): Value {
    if ((object.kind === "tuple" || object.kind === "list") && key.kind === "number") {
      const position = key.value < 0 ? object.items.length + key.value : key.value;
      return object.items[position] ?? UNKNOWN;
    }
    if (object.kind === "dict" && key.kind === "string") return object.entries.get(key.value) ?? UNKNOWN;
    if (object.kind === "array" && key.kind === "number") return { kind: "array", shape: object.shape.slice(1) };
    return UNKNOWN;
  }

  private slice(object: Value, start: number | null, stop: number | null, step: number | null): Value {
    // Python's bounds of `[start:stop]` over `length` items (step 1): negative counts from the end.
    const bounds = (length: number): [number, number] => {
      const from = start === null ? 0 : start < 0 ? Math.max(0, length + start) : Math.min(start, length);
      const to = stop === null ? length : stop < 0 ? Math.max(0, length + stop) : Math.min(stop, length);
      return [from, Math.max(from, to)];
    };
    const pick = <T>(items: T[]): T[] => items.slice(...bounds(items.length));
    if (step !== null && step !== 1) return UNKNOWN;
    if (object.kind === "tuple" || object.kind === "list") return { kind: object.kind, items: pick(object.items) };
    if (object.kind === "string") return { kind: "string", value: pick([...object.value]).join("") };
    if (object.kind === "array") {
      const first = object.shape[0];
      if (first === null || first === undefined) return object;
      // The rows kept, counted rather than listed: a training set has tens of thousands.
      const [from, to] = bounds(first);
      return { kind: "array", shape: [to - from, ...object.shape.slice(1)] };
    }
    return UNKNOWN;
  }

  private attribute(object: Value, name: string): Value {
    switch (object.kind) {
      case "module":
        return this.resolvePath(`${object.path}.${name}`);
      case "array":
        if (name === "shape") return { kind: "tuple", items: object.shape.map((dim) => (dim === null ? UNKNOWN : num(dim))) };
        if (name === "ndim") return num(object.shape.length);
        return { kind: "method", self: object, name };
      case "tensor":
        if (name === "shape") return { kind: "tuple", items: object.node.outputShape.map((dim) => (dim === null ? NONE : num(dim))) };
        return UNKNOWN;
      case "model":
        if (name === "name") return { kind: "string", value: object.spec.name };
        return { kind: "method", self: object, name };
      case "history":
        return UNKNOWN;
      case "unknown":
        return UNKNOWN;
      default:
        return { kind: "method", self: object, name };
    }
  }

  /** A dotted path names a module, or a value such as `keras.activations.relu`. */
  private resolvePath(rawPath: string): Value {
    const path = canonicalPath(rawPath);
    const lastDot = path.lastIndexOf(".");
    const parent = path.slice(0, lastDot);
    const leaf = path.slice(lastDot + 1);
    // keras/src/activations/__init__.py, losses/__init__.py, metrics/__init__.py: the functions by name.
    if ((parent === "keras.activations" || parent === "tensorflow.nn") && KERAS_ACTIVATION_NAMES.includes(leaf)) return { kind: "activation", name: leaf };
    if (parent === "keras.losses" && /^[a-z]/.test(leaf) && KERAS_LOSS_NAMES.includes(leaf)) return { kind: "loss", name: leaf, object: false };
    if (parent === "keras.metrics" && /^[a-z]/.test(leaf) && KERAS_METRIC_NAMES.includes(leaf)) return { kind: "metric", name: leaf, object: false };
    return { kind: "module", path };
  }

  /** Python's arithmetic keeps ints ints, except `/` (and `**` with a negative exponent); a float anywhere makes a float. */
  private binary(left: Value, operator: string, right: Value, node: SyntaxNode): Value {
    const result = this.binaryValue(left, operator, right, node);
    if (result.kind === "number" && left.kind === "number" && right.kind === "number" && (left.float || right.float || operator === "/" || (operator === "**" && right.value < 0))) return float(result.value);
    return result;
  }

  private binaryValue(left: Value, operator: string, right: Value, node: SyntaxNode): Value {
    // Arithmetic between a string and a number or an array is Python's (and NumPy's) TypeError;
    // only `str + str` and `str * int` are defined.
    const numeric = (value: Value): boolean => value.kind === "number" || value.kind === "array";
    const stringWithNumber = (left.kind === "string" && numeric(right)) || (right.kind === "string" && numeric(left));
    if (stringWithNumber && ["+", "-", "/", "//", "%", "**"].includes(operator) && !(operator === "%" && left.kind === "string")) {
      const text = left.kind === "string" ? left.value : right.kind === "string" ? right.value : "";
      this.report(node, "error", "shape", `Line ${this.line(node)}: '${text}' is a string, in quotes, so Python cannot compute ${operator} with it and a number (TypeError). Write the number without quotes.`);
      return UNKNOWN;
    }
    if (left.kind === "number" && right.kind === "number") {
      const a = left.value;
      const b = right.value;
      switch (operator) {
        case "+":
          return num(a + b);
        case "-":
          return num(a - b);
        case "*":
          return num(a * b);
        case "/":
          if (b === 0) {
            this.report(node, "error", "shape", `Line ${this.line(node)} divides by zero.`);
            return UNKNOWN;
          }
          return num(a / b);
        case "//":
          return b === 0 ? UNKNOWN : num(Math.floor(a / b));
        case "%":
          return b === 0 ? UNKNOWN : num(a - b * Math.floor(a / b));
        case "**":
          return num(a ** b);
        case "<":
          return { kind: "bool", value: a < b };
        case ">":
          return { kind: "bool", value: a > b };
        case "<=":
          return { kind: "bool", value: a <= b };
        case ">=":
          return { kind: "bool", value: a >= b };
        case "==":
          return { kind: "bool", value: a === b };
        case "!=":
          return { kind: "bool", value: a !== b };
        default:
          return UNKNOWN;
      }
    }
    if (left.kind === "string" && right.kind === "string" && operator === "+") return { kind: "string", value: left.value + right.value };
    if ((left.kind === "list" || left.kind === "tuple") && right.kind === left.kind && operator === "+") return { kind: left.kind, items: [...left.items, ...right.items] };
    // Arithmetic between data and a number (normalising pixels: `images / 255.0`) keeps the shape.
    if (left.kind === "array" && (right.kind === "number" || right.kind === "unknown") && ["+", "-", "*", "/", "//", "**"].includes(operator)) {
      return { kind: "array", shape: left.shape, made: `${left.made ?? ""}${operator}${fingerprint(right)}` };
    }
    if (right.kind === "array" && left.kind === "number" && ["+", "-", "*"].includes(operator)) {
      return { kind: "array", shape: right.shape, made: `${right.made ?? ""}${operator}${fingerprint(left)}` };
    }
    return UNKNOWN;
  }

  // ---- calls -------------------------------------------------------------------------------

  private argumentsOf(argList: SyntaxNode | undefined, scope: Scope): ArgumentNodes {
    const result = noArguments();
    if (!argList) return result;
    const groups: SyntaxNode[][] = [[]];
    for (const child of this.children(argList)) {
      if (child.name === "(" || child.name === ")") continue;
      if (child.name === ",") groups.push([]);
      else groups[groups.length - 1]?.push(child);
    }
    for (const group of groups) {
      const [first, second, third] = group;
      if (!first) continue;
      if (first.name === "*" || first.name === "**") {
        result.splat = true;
        if (second) this.eval(second, scope);
      } else if (second?.name === "AssignOp" && third && first.name === "VariableName") {
        const name = nodeText(this.source, first);
        const value = this.eval(third, scope);
        if (result.keyword.has(name)) {
          // `f(a=1, a=2)`: CPython's SyntaxError; kept so that binding can say so.
          (result.repeatedKeywords ??= []).push([name, value]);
          (result.repeatedKeywordNodes ??= []).push(third);
        } else {
          result.keyword.set(name, value);
          result.keywordNodes.set(name, third);
        }
      } else if (group.length === 1) {
        result.positional.push(this.eval(first, scope));
        result.positionalNodes.push(first);
      } else {
        result.splat = true;
      }
    }
    return result;
  }

  private call(node: SyntaxNode, scope: Scope): Value {
    const [calleeNode, argList] = this.children(node);
    if (!calleeNode) return UNKNOWN;
    const callee = this.eval(calleeNode, scope);
    const args = this.argumentsOf(argList?.name === "ArgList" ? argList : undefined, scope);
    return this.apply(callee, args, node);
  }

  private apply(callee: Value, args: ArgumentNodes, node: SyntaxNode): Value {
    switch (callee.kind) {
      case "function":
        return this.callFunction(callee, args, node);
      case "module":
        return this.callPath(callee.path, args, node);
      case "layer":
        return this.callLayer(callee, args, node);
      case "method":
        return this.callMethod(callee.self, callee.name, args, node);
      default:
        return UNKNOWN;
    }
  }

  callFunction(fn: FunctionValue, args: ArgumentNodes, node: SyntaxNode): Value {
    this.functionsCalled.add(fn.node.from);
    if (this.functionStack.length > 30) {
      this.report(node, "info", "outside-subset", `Line ${this.line(node)} calls functions too deeply for the checker; it stops following the calls here.`);
      return UNKNOWN;
    }
    const local: Scope = { vars: new Map(), parent: this.module };
    const problems: LayerProblem[] = [];
    const bound = bindArguments(
      fn.params.map((param) => param.name),
      args,
      problems,
      `${fn.name}()`,
    );
    for (const problem of problems) this.report(node, "error", "undefined-name", problem.message);
    for (const param of fn.params) local.vars.set(param.name, bound.get(param.name) ?? param.defaultValue ?? UNKNOWN);
    const body = this.children(fn.node).find((child) => child.name === "Body");
    this.functionStack.push(fn.name);
    try {
      const completion = body ? this.execBlock(this.children(body), local, 1) : NORMAL;
      const result = completion.kind === "return" ? completion.value : NONE;
      // `return a, b` and `return [a, b]` give the caller the same values to unpack.
      this.record(`return ${fn.name}=${fingerprint(result.kind === "list" ? { kind: "tuple", items: result.items } : result)}`);
      return result;
    } finally {
      this.functionStack.pop();
    }
  }

  private callPath(path: string, args: ArgumentNodes, node: SyntaxNode): Value {
    const lastDot = path.lastIndexOf(".");
    const parent = path.slice(0, lastDot);
    const leaf = path.slice(lastDot + 1);
    if (path === "keras.Input" || path === "keras.layers.Input") return this.input(args, node);
    if (parent === "keras.layers") {
      const className = LAYER_NAMES.get(leaf);
      if (!className) {
        if (KERAS_LAYERS_MODULE.includes(leaf)) {
          this.report(node, "info", "outside-subset", `keras.layers.${leaf} is outside what the lessons check; line ${this.line(node)} is skipped.`);
        } else {
          // keras/api/layers/__init__.py lists every name keras.layers has; anything else is an AttributeError.
          const spelled = KERAS_LAYERS_MODULE.find((name) => name.toLowerCase() === leaf.toLowerCase());
          this.report(
            node,
            "error",
            "layer-argument",
            `Line ${this.line(node)}: keras.layers has no ${leaf}, so Python stops here with an AttributeError.${spelled === undefined ? " Check the layer's name in the Keras documentation." : " Layer names are written exactly as Keras spells its classes, capitals included."}`,
          );
        }
        return UNKNOWN;
      }
      const built = buildLayer(className, toPyCall(args));
      // With `*args`/`**kwargs` the call's arguments are not all known: no verdict on binding.
      if (!args.splat) this.reportKeras(built.problems, built.sources, args, node, "layer-argument");
      const layer: Value = {
        kind: "layer",
        layer: built.layer,
        unknownArguments: args.splat ? [...built.unknownArguments, "*args"] : built.unknownArguments,
        source: nodeRange(this.source, node),
        arguments: this.recordCall(`keras.layers.${className}`, built.sources, args, node),
      };
      if (built.name !== undefined) layer.name = built.name;
      return layer;
    }
    if (path === "keras.Model" || path === "keras.models.Model") return this.model(args, node);
    if (parent === "keras.optimizers") return this.optimizer(leaf, args, node);
    if ((parent === "keras.losses" && KERAS_LOSS_NAMES.includes(leaf)) || (parent === "keras.metrics" && KERAS_METRIC_NAMES.includes(leaf))) {
      const kind = parent === "keras.losses" ? "loss" : "metric";
      // A class builds an object; a function (`categorical_crossentropy(y, p)`) computes values.
      if (!/^[A-Z]/.test(leaf)) return UNKNOWN;
      const fromLogits = kind === "loss" ? args.keyword.get("from_logits") : undefined;
      const others = [...args.keyword.keys()].filter((key) => key !== "from_logits");
      if (args.positional.length > 0 || others.length > 0) {
        this.report(node, "info", "outside-subset", `Line ${this.line(node)}: the checker and training here leave out the arguments of ${path}; they use Keras's defaults.`);
      }
      if (fromLogits?.kind === "bool" && fromLogits.value) return { kind: "loss", name: leaf, object: true, fromLogits: true };
      return { kind, name: leaf, object: true };
    }
    if (parent.startsWith("keras.datasets.") && leaf === "load_data") return loadData(this, parent.slice("keras.datasets.".length), node);
    if (path === "keras.utils.to_categorical") return toCategorical(this, args, node);
    if (path === "keras.models.load_model" || path === "keras.saving.load_model") {
      const problem = savedModelPathProblem(toPy(args.positional[0] ?? args.keyword.get("filepath") ?? UNKNOWN), "load");
      if (problem) this.report(args.positionalNodes[0] ?? args.keywordNodes.get("filepath") ?? node, "error", "model", `Line ${this.line(node)}: ${problem.message}`);
      return UNKNOWN;
    }
    if (path === "sklearn.model_selection.train_test_split") return trainTestSplit(this, args, node);
    if (path === "scikeras.wrappers.KerasClassifier") return classifier(args);
    if (path === "sklearn.model_selection.GridSearchCV") return gridSearch(this, args, node);
    if (parent === "builtins") return this.builtin(leaf, args);
    if (path === "keras.Sequential" || path === "keras.models.Sequential") return this.sequential(args, node);
    if (path.startsWith("keras.") && !path.startsWith("keras.utils.") && !path.startsWith("keras.callbacks.")) {
      this.report(node, "info", "outside-subset", `${path} is outside what the lessons check; the checker treats its result as unknown.`);
    }
    if (isUnfollowedLibrary(path)) this.report(node, "info", "outside-subset", `Line ${this.line(node)}: ${path} is not followed by the checker; its result is unknown and this line is not checked.`);
    // Plots, prints and other libraries are harmless: their result is simply unknown. What they
    // are given is part of what the file does (the true labels of a confusion matrix).
    const keywords = [...args.keyword].map(([key, value]) => `${key}=${fingerprint(value)}`);
    this.record(`call ${path}(${[...args.positional.map(fingerprint), ...keywords].join(",")})`);
    return UNKNOWN;
  }

  private builtin(name: string, args: CallArguments): Value {
    const [first] = args.positional;
    switch (name) {
      case "len":
        if (first?.kind === "list" || first?.kind === "tuple") return num(first.items.length);
        if (first?.kind === "string") return num(first.value.length);
        if (first?.kind === "dict") return num(first.entries.size);
        if (first?.kind === "array" && typeof first.shape[0] === "number") return num(first.shape[0]);
        return UNKNOWN;
      case "dict":
        return args.positional.length === 0 ? { kind: "dict", entries: new Map(args.keyword) } : UNKNOWN;
      case "list":
      case "tuple":
        if (!first) return { kind: name, items: [] };
        return first.kind === "list" || first.kind === "tuple" ? { kind: name, items: [...first.items] } : UNKNOWN;
      case "range": {
        const numbers = args.positional.map((arg) => (arg.kind === "number" ? arg.value : NaN));
        const [start, stop, step] = numbers.length === 1 ? [0, numbers[0] ?? NaN, 1] : [numbers[0] ?? NaN, numbers[1] ?? NaN, numbers[2] ?? 1];
        if (![start, stop, step].every(Number.isInteger) || step === 0 || Math.abs((stop - start) / step) > 1000) return UNKNOWN;
        const items: Value[] = [];
        for (let value = start; step > 0 ? value < stop : value > stop; value += step) items.push(num(value));
        return { kind: "list", items };
      }
      case "int":
        return first?.kind === "number" ? num(Math.trunc(first.value)) : UNKNOWN;
      case "float": {
        if (first === undefined) return float(0);
        if (first.kind === "number") return float(first.value);
        // float('nan'), float('inf'), float('1e-3'): Python's spellings of the special values too.
        const text = first.kind === "string" ? first.value.trim().toLowerCase() : undefined;
        if (text === undefined) return UNKNOWN;
        const special: Record<string, number> = { nan: NaN, "+nan": NaN, "-nan": NaN, inf: Infinity, "+inf": Infinity, infinity: Infinity, "-inf": -Infinity, "-infinity": -Infinity };
        if (text in special) return float(special[text] ?? NaN);
        const parsed = text === "" ? NaN : Number(text);
        return Number.isNaN(parsed) ? UNKNOWN : float(parsed);
      }
      case "abs":
        return first?.kind === "number" ? num(Math.abs(first.value)) : UNKNOWN;
      case "print":
        return NONE;
      default:
        return UNKNOWN;
    }
  }

  private input(args: ArgumentNodes, node: SyntaxNode): Value {
    const bound = bindCall(INPUT_SIGNATURE, toPyCall(args));
    const sources = sourcesOf(bound);
    const problems: KerasProblem[] = bound.error ? [bindProblem(bound.error)] : [];
    const read = readInputShape(bound.bound.get("shape")?.value);
    if (read.problem) problems.push(read.problem);
    this.reportKeras(problems, sources, args, node, "layer-argument");
    this.recordCall("keras.Input", sources, args, node);
    const nameValue = bound.bound.get("name")?.value;
    const known = read.shape ?? this.inputShape;
    const graphNode = this.graphNode({ class_name: "InputLayer", config: { shape: known } }, [], [null, ...known], 0, read.shape ? [] : ["shape"], node, nameValue?.kind === "str" ? nameValue.value : undefined);
    return { kind: "tensor", node: graphNode };
  }

  /**
   * `keras.Sequential([...])` (keras/src/models/sequential.py): the layers are applied in order,
   * when the model is first used (compile, fit, summary), as Keras builds it; `.add` appends.
   */
  private sequential(args: ArgumentNodes, node: SyntaxNode): Value {
    const binding = bindCall(SEQUENTIAL_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
    const sources = sourcesOf(binding);
    const problems: KerasProblem[] = binding.error ? [bindProblem(binding.error)] : [];
    const nameValue = binding.bound.get("name")?.value;
    const nameCheck = nameProblem(nameValue === undefined ? undefined : toPy(nameValue));
    if (nameCheck) problems.push(nameCheck);
    this.reportKeras(problems, sources, args, node, "model");
    this.recordCall("keras.Sequential", sources, args, node);
    const layersValue = binding.bound.get("layers")?.value;
    const layersSource = sources.get("layers");
    const layersNode = layersSource ? this.argumentNode(layersSource, args) : undefined;
    const itemNodes = layersNode && (layersNode.name === "ArrayExpression" || layersNode.name === "TupleExpression") ? this.children(layersNode).filter((child) => !["[", "]", "(", ")", ","].includes(child.name)) : [];
    const entries: SequentialValue["entries"] = [];
    if (layersValue?.kind === "list" || layersValue?.kind === "tuple") layersValue.items.forEach((item, index) => entries.push({ value: item, node: itemNodes[index] ?? node }));
    else if (layersValue !== undefined && layersValue.kind !== "none") entries.push({ value: UNKNOWN, node });
    const value: SequentialValue = { kind: "sequential", entries, name: nameValue?.kind === "string" ? nameValue.value : "sequential", node };
    const creator = this.functionStack[this.functionStack.length - 1];
    if (creator !== undefined) value.createdBy = creator;
    // Keras 3 builds a Sequential that starts with an Input at once (sequential.py _maybe_rebuild).
    if (entries[0]?.value.kind === "tensor") this.buildSequential(value);
    return value;
  }

  /** The functional model a Sequential stands for, built on first use. */
  private buildSequential(value: SequentialValue): Value {
    if (value.built) return value.built;
    const [first, ...rest] = value.entries;
    if (first?.value.kind !== "tensor" || first.value.node.layer.class_name !== "InputLayer") {
      if (first?.value.kind !== "unknown") {
        this.report(value.node, "info", "outside-subset", `Line ${this.line(value.node)}: the checker follows a keras.Sequential model that starts with keras.Input(shape=...); without one Keras 3 builds the model only when it first sees data.`);
      }
      value.built = UNKNOWN;
      return UNKNOWN;
    }
    let current: Value = first.value;
    for (const entry of rest) {
      if (entry.value.kind !== "layer") {
        if (entry.value.kind !== "unknown") this.report(entry.node, "error", "model", `Line ${this.line(entry.node)}: keras.Sequential takes layers, and \`${nodeText(this.source, entry.node)}\` is not one; Keras 3 raises a ValueError.`);
        current = UNKNOWN;
        break;
      }
      current = this.callLayer(entry.value, { positional: [current], keyword: new Map(), positionalNodes: [entry.node], keywordNodes: new Map(), splat: false }, entry.node);
      if (current.kind !== "tensor") break;
    }
    if (current.kind !== "tensor") {
      value.built = UNKNOWN;
      return UNKNOWN;
    }
    const args = noArguments();
    args.keyword.set("inputs", first.value);
    args.keyword.set("outputs", current);
    args.keyword.set("name", { kind: "string", value: value.name });
    const model = this.model(args, value.node);
    // Built later (at compile, after .add): the model is still the one the creating function made.
    if (model.kind === "model" && value.createdBy !== undefined) {
      model.builtBy = value.createdBy;
      for (const entry of this.models) if (entry.value === model) entry.info.builtBy = value.createdBy;
    }
    value.built = model;
    return model;
  }

  /** Reports the registry's problems at the argument each is about (or the call). */
  private reportKeras(problems: readonly KerasProblem[], sources: ReadonlyMap<string, ArgumentSource>, args: ArgumentNodes, node: SyntaxNode, code: DiagnosticCode): void {
    for (const problem of problems) {
      const source = problem.argument === undefined ? undefined : sources.get(problem.argument);
      const at = (source && this.argumentNode(source, args)) ?? node;
      this.report(at, problem.severity, code, `Line ${this.line(at)}: ${problem.message}`);
    }
  }

  private argumentNode(source: ArgumentSource, args: ArgumentNodes): SyntaxNode | undefined {
    return source.kind === "positional" ? args.positionalNodes[source.index] : args.keywordNodes.get(source.name);
  }

  /** Records which argument holds each parameter of a Keras call, for `Analysis.calls`. */
  private recordCall(callee: string, sources: ReadonlyMap<string, ArgumentSource>, args: ArgumentNodes, node: SyntaxNode): BoundArgumentInfo[] {
    const infos: BoundArgumentInfo[] = [];
    for (const [param, source] of sources) {
      const at = this.argumentNode(source, args);
      if (at) infos.push({ param, by: source.kind, from: at.from, to: at.to });
    }
    if (!this.boundCalls.has(node.from)) this.boundCalls.set(node.from, { callee, range: nodeRange(this.source, node), from: node.from, to: node.to, arguments: infos });
    return infos;
  }

  private graphNode(layer: GraphNode["layer"], inbound: GraphNode[], outputShape: Shape, params: number, unknownArguments: string[], node: SyntaxNode, name: string | undefined): GraphNode {
    // An explicit name equal to Keras's default stem (`Flatten(name='flatten')`) names the same layer.
    const named = name !== undefined && name !== defaultLayerName(layer.class_name) ? `#${name}` : "";
    const description = `${layer.class_name}${JSON.stringify(layer.config)}${named}${unknownArguments.length ? `?${unknownArguments.join(",")}` : ""}(${inbound.map((input) => input.fingerprint).join(",")})`;
    const graphNode: GraphNode = { id: this.nextNodeId++, layer, inbound, outputShape, params, unknownArguments, source: nodeRange(this.source, node), fingerprint: description };
    if (name !== undefined) graphNode.name = name;
    return graphNode;
  }

  private callLayer(layer: Extract<Value, { kind: "layer" }>, args: ArgumentNodes, node: SyntaxNode): Value {
    const [input] = args.positional;
    const inputNode = args.positionalNodes[0] ?? node;
    const className = layer.layer.class_name;
    if (!input || args.positional.length > 1) {
      this.report(node, "error", "shape", `Line ${this.line(node)}: a ${className} layer is applied to one tensor, like keras.layers.${className}(...)(x).`);
      return UNKNOWN;
    }
    if (input.kind !== "tensor") {
      if (input.kind !== "unknown") {
        this.report(inputNode, "error", "shape", `Line ${this.line(node)}: ${className} is applied to \`${nodeText(this.source, inputNode)}\`, which is not a tensor; apply it to the output of keras.Input or of the previous layer.`);
      }
      return UNKNOWN;
    }
    const inference = inferLayer(layer.layer, input.node.outputShape);
    const params = inference.trainableParams + inference.nonTrainableParams;
    for (const problem of inference.problems) this.report(node, problem.severity, "shape", `Line ${this.line(node)}: ${problem.message}`);
    const graphNode = this.graphNode(layer.layer, [input.node], inference.outputShape, params, layer.unknownArguments, node, layer.name);
    // keras.layers.Activation after a layer without one computes what activation= on that layer would.
    if (layer.layer.class_name === "Activation") {
      const before = this.layerCalls.get(this.callOfNode.get(input.node.id) ?? -1);
      const config = before?.layer.config as { activation?: string } | undefined;
      if (before && config?.activation === "linear" && before.className !== "InputLayer" && takesActivation(before.className)) before.activationAfter = layer.layer.config.activation;
    }
    this.record(`layer ${graphNode.fingerprint}`);
    this.callOfNode.set(graphNode.id, node.from);
    if (!this.layerCalls.has(node.from)) {
      this.layerCalls.set(node.from, {
        range: nodeRange(this.source, node),
        from: node.from,
        to: node.to,
        className,
        layer: layer.layer,
        outputShape: inference.outputShape,
        params,
        input: input.node.fingerprint,
        isModelOutput: false,
        unknownArguments: layer.unknownArguments,
        upstreamKnown: !dependsOnUnknown(input.node),
        arguments: layer.arguments,
      });
    }
    return { kind: "tensor", node: graphNode };
  }

  private model(args: ArgumentNodes, node: SyntaxNode): Value {
    const binding = bindCall(MODEL_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
    const sources = sourcesOf(binding);
    const modelName = binding.bound.get("name")?.value;
    const modelProblems = [...(binding.error ? [bindProblem(binding.error)] : []), ...[nameProblem(modelName === undefined ? undefined : toPy(modelName))].filter((problem) => problem !== undefined)];
    this.reportKeras(modelProblems, sources, args, node, "model");
    if (args.keyword.has("inputs") || args.positional.length > 0) this.recordCall("keras.Model", sources, args, node);
    const bound = new Map([...binding.bound].map(([key, argument]) => [key, argument.value]));
    const inputs = bound.get("inputs");
    const outputs = bound.get("outputs");
    const at = (name: string): SyntaxNode => args.keywordNodes.get(name) ?? node;
    const inputTensor = inputs?.kind === "list" || inputs?.kind === "tuple" ? inputs.items[0] : inputs;
    const outputTensor = outputs?.kind === "list" || outputs?.kind === "tuple" ? outputs.items[0] : outputs;
    if (inputTensor?.kind !== "tensor" || outputTensor?.kind !== "tensor") {
      if (inputs === undefined || outputs === undefined) this.report(node, "error", "model", `Line ${this.line(node)}: keras.Model needs inputs= (the keras.Input tensor) and outputs= (the last layer's output).`);
      else if (inputTensor?.kind !== "tensor" && inputTensor?.kind !== "unknown") this.report(at("inputs"), "error", "model", `Line ${this.line(node)}: inputs= must be the tensor keras.Input returned.`);
      else if (outputTensor?.kind !== "tensor" && outputTensor?.kind !== "unknown") this.report(at("outputs"), "error", "model", `Line ${this.line(node)}: outputs= must be the tensor the last layer returned.`);
      return UNKNOWN;
    }
    if (inputTensor.node.layer.class_name !== "InputLayer") {
      this.report(at("inputs"), "error", "model", `Line ${this.line(node)}: inputs= is the output of a ${inputTensor.node.layer.class_name} layer; give the tensor that keras.Input returned.`);
      return UNKNOWN;
    }
    // Topological order: a depth-first walk from the output, parents before children.
    const ordered: GraphNode[] = [];
    const seen = new Set<number>();
    const visit = (graphNode: GraphNode): void => {
      if (seen.has(graphNode.id)) return;
      seen.add(graphNode.id);
      for (const parent of graphNode.inbound) visit(parent);
      ordered.push(graphNode);
    };
    visit(outputTensor.node);
    if (!seen.has(inputTensor.node.id)) {
      this.report(at("outputs"), "error", "model", `Line ${this.line(node)}: outputs= does not come from inputs=; check that each layer is applied to the previous layer's output, starting from the Input.`);
      return UNKNOWN;
    }
    const names = new Map<number, string>();
    const used = new Map<string, number>();
    for (const graphNode of ordered) {
      let name = graphNode.name;
      if (name === undefined || used.has(name)) {
        const stem = name ?? defaultLayerName(graphNode.layer.class_name);
        const count = used.get(stem) ?? 0;
        name = count === 0 ? stem : `${stem}_${count}`;
        used.set(stem, count + 1);
      }
      used.set(name, used.get(name) ?? 1);
      names.set(graphNode.id, name);
    }
    const layers: LayerSpec[] = ordered.map((graphNode) => {
      const spec = { ...graphNode.layer, name: names.get(graphNode.id) ?? "", inbound: graphNode.inbound.map((parent) => names.get(parent.id) ?? "") } as LayerSpec;
      if (graphNode.source) spec.source = graphNode.source;
      return spec;
    });
    const nameValue = bound.get("name");
    const spec: ModelSpec = { name: nameValue?.kind === "string" ? nameValue.value : "functional", layers, output: names.get(outputTensor.node.id) ?? "" };
    const totalParams = ordered.reduce((sum, graphNode) => sum + graphNode.params, 0);
    const complete = ordered.every((graphNode) => graphNode.unknownArguments.length === 0);
    const builtBy = this.functionStack[this.functionStack.length - 1];
    const value: ModelValue = { kind: "model", spec, nodes: ordered, totalParams, complete, source: nodeRange(this.source, node), fingerprint: `model ${spec.name}:${outputTensor.node.fingerprint}` };
    if (builtBy !== undefined) value.builtBy = builtBy;
    const info: ModelInfo = { spec, totalParams, outputShapes: ordered.map((graphNode) => graphNode.outputShape), params: ordered.map((graphNode) => graphNode.params), complete, range: nodeRange(this.source, node) };
    if (builtBy !== undefined) info.builtBy = builtBy;
    this.models.push({ value, info });
    const outputCall = this.layerCalls.get(this.callOfNode.get(outputTensor.node.id) ?? -1);
    if (outputCall) outputCall.isModelOutput = true;
    this.record(value.fingerprint);
    return value;
  }

  private optimizer(className: string, args: ArgumentNodes, node: SyntaxNode): Value {
    const trainable = KERAS_OPTIMIZER_CLASSES.includes(className) ? trainableOptimizer(className) : undefined;
    if (!trainable) {
      if (isKerasOptimizer(className)) {
        this.report(node, "warning", "compile", `Line ${this.line(node)}: Keras 3 has keras.optimizers.${className}, but training in this extension runs only Adam, SGD and RMSprop.`);
        return { kind: "optimizer", className, spec: null };
      }
      const other = KERAS_OPTIMIZER_CLASSES.find((name) => name.toLowerCase() === className.toLowerCase());
      if (other !== undefined) {
        this.report(node, "error", "compile", `Line ${this.line(node)}: keras.optimizers has no ${className} in this spelling (class names are capitalised as Keras writes them); Python raises an AttributeError.`);
      } else {
        this.report(node, "info", "outside-subset", `keras.optimizers.${className} is outside what the lessons check; use Adam, SGD or RMSprop.`);
      }
      return UNKNOWN;
    }
    const built = buildOptimizer(trainable, toPyCall(args));
    if (!args.splat) this.reportKeras(built.problems, built.sources, args, node, "compile");
    this.recordCall(`keras.optimizers.${className}`, built.sources, args, node);
    return { kind: "optimizer", className, spec: built.spec };
  }

  // ---- methods -----------------------------------------------------------------------------

  private callMethod(self: Value, name: string, args: ArgumentNodes, node: SyntaxNode): Value {
    if (self.kind === "model") return this.modelMethod(self, name, args, node);
    if (self.kind === "sequential") return this.sequentialMethod(self, name, args, node);
    if (self.kind === "list" && name === "append") {
      const [item] = args.positional;
      self.items.push(item ?? UNKNOWN);
      return NONE;
    }
    if (self.kind === "grid" && name === "fit") {
      runGrid(this, self, node);
      return UNKNOWN;
    }
    if (self.kind === "array" && (name === "astype" || name === "copy")) return self;
    return UNKNOWN;
  }

  /** `.add(layer)` appends (keras/src/models/sequential.py); anything else is a method of the model it builds. */
  private sequentialMethod(self: SequentialValue, name: string, args: ArgumentNodes, node: SyntaxNode): Value {
    if (name === "add") {
      self.entries.push({ value: args.positional[0] ?? args.keyword.get("layer") ?? UNKNOWN, node: args.positionalNodes[0] ?? args.keywordNodes.get("layer") ?? node });
      delete self.built;
      return NONE;
    }
    const model = this.buildSequential(self);
    return model.kind === "model" ? this.modelMethod(model, name, args, node) : UNKNOWN;
  }

  private modelMethod(model: ModelValue, name: string, args: ArgumentNodes, node: SyntaxNode): Value {
    switch (name) {
      case "compile": {
        const compile = this.compileSpec(args, node);
        model.compileCalled = true;
        if (compile) {
          model.compile = compile;
          for (const entry of this.models) if (entry.value === model) entry.info.compile = compile;
          this.record(`compile ${model.fingerprint}:${JSON.stringify(compile)}`);
        }
        return NONE;
      }
      case "fit":
        return this.fit(model, args, node);
      case "predict": {
        const binding = bindCall(PREDICT_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
        const sources = sourcesOf(binding);
        this.recordCall("model.predict", sources, args, node);
        if (binding.error && !args.splat) this.reportKeras([bindProblem(binding.error)], sources, args, node, "fit");
        const data = binding.bound.get("x")?.value;
        const output = model.nodes[model.nodes.length - 1]?.outputShape ?? [null];
        return { kind: "array", shape: [data?.kind === "array" ? (data.shape[0] ?? null) : null, ...output.slice(1)] };
      }
      case "evaluate": {
        const binding = bindCall(EVALUATE_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
        const sources = sourcesOf(binding);
        this.recordCall("model.evaluate", sources, args, node);
        if (binding.error && !args.splat) this.reportKeras([bindProblem(binding.error)], sources, args, node, "fit");
        const at = (key: string): SyntaxNode => {
          const source = sources.get(key);
          return (source && this.argumentNode(source, args)) ?? node;
        };
        this.checkData(model, binding.bound.get("x")?.value, binding.bound.get("y")?.value, at("x"), at("y"), node);
        if (!model.compile) return UNKNOWN;
        return { kind: "list", items: [UNKNOWN, ...(model.compile?.metrics ?? []).map(() => UNKNOWN)] };
      }
      case "count_params":
        return num(model.totalParams);
      case "save": {
        const problem = savedModelPathProblem(toPy(args.positional[0] ?? args.keyword.get("filepath") ?? UNKNOWN), "save");
        if (problem) this.report(args.positionalNodes[0] ?? args.keywordNodes.get("filepath") ?? node, "error", "model", `Line ${this.line(node)}: ${problem.message}`);
        return NONE;
      }
      case "summary":
        return NONE;
      default:
        return UNKNOWN;
    }
  }

  /** `model.compile(...)`, with Keras 3's rules for the optimizer, the loss and the metrics (see src/keras/training.ts). */
  private compileSpec(args: ArgumentNodes, node: SyntaxNode): CompileSpec | null {
    const binding = bindCall(COMPILE_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
    const sources = sourcesOf(binding);
    this.recordCall("model.compile", sources, args, node);
    const problems: KerasProblem[] = binding.error ? [bindProblem(binding.error)] : [];
    const value = (key: string): Value | undefined => binding.bound.get(key)?.value;
    const problem = (argument: string, severity: KerasProblem["severity"], message: string): void => {
      problems.push({ severity, message, argument });
    };
    // trainer.py: optimizer="rmsprop" by default.
    const optimizerValue = value("optimizer") ?? { kind: "string", value: "rmsprop" };
    let optimizer: OptimizerSpec | null = null;
    let unknown = false;
    if (optimizerValue.kind === "optimizer") optimizer = optimizerValue.spec;
    else {
      const lookup = lookupOptimizer(toPy(optimizerValue));
      if (lookup.kind === "ok") optimizer = lookup.spec;
      else if (lookup.kind === "untrainable") problem("optimizer", "warning", `Keras 3 knows the optimizer '${lookup.name}', but training in this extension runs only Adam, SGD and RMSprop.`);
      else if (lookup.kind === "raises") problem("optimizer", "error", lookup.message);
      else unknown = true;
    }
    const lossValue = value("loss");
    const lossLookup = lookupLoss(lossValue === undefined ? undefined : toPy(lossValue));
    let loss: LossName | null = null;
    if (lossLookup.kind === "ok") loss = lossLookup.name;
    else if (lossLookup.kind === "untrainable") problem("loss", "warning", lossLookup.message);
    else if (lossLookup.kind === "raises") problem("loss", "error", lossLookup.message);
    else unknown = true;
    const metricsValue = value("metrics");
    const container = metricsContainer(metricsValue === undefined ? undefined : toPy(metricsValue));
    if (container.problem) problems.push(container.problem);
    const metrics: MetricName[] = [];
    for (const item of container.items) {
      const lookup = lookupMetric(item);
      if (lookup.kind === "ok") metrics.push(lookup.name);
      else if (lookup.kind === "untrainable") problem("metrics", "warning", lookup.message);
      else if (lookup.kind === "raises") problem("metrics", "error", lookup.message);
    }
    this.reportKeras(problems, sources, args, node, "compile");
    // Keras 3 raises for any of these errors, at compile() or when fit() builds the loss and metrics.
    if (unknown || !optimizer || !loss || problems.some((entry) => entry.severity === "error")) return null;
    return { optimizer, loss, metrics: [...new Set(metrics)] };
  }

  private fit(model: ModelValue, args: ArgumentNodes, node: SyntaxNode): Value {
    const binding = bindCall(FIT_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
    const sources = sourcesOf(binding);
    this.recordCall("model.fit", sources, args, node);
    const bound = new Map([...binding.bound].map(([key, argument]) => [key, argument.value]));
    const reading = readFit(new Map([...bound].map(([key, value]) => [key, toPy(value)])));
    this.reportKeras(binding.error ? [bindProblem(binding.error), ...reading.problems] : reading.problems, sources, args, node, "fit");
    const fit: FitSpec = reading.fit;
    const at = (key: string): SyntaxNode => {
      const source = sources.get(key);
      return (source && this.argumentNode(source, args)) ?? node;
    };
    this.checkData(model, bound.get("x"), bound.get("y"), at("x"), at("y"), node);
    if (!model.compileCalled) {
      this.report(node, "error", "fit", `Line ${this.line(node)}: the model is trained before it is compiled; call ${"compile"}(...) on it first.`);
    } else if (model.compile) {
      this.runs.push({ model: model.spec, compile: model.compile, fit, range: nodeRange(this.source, node) });
    }
    // What it trains on and measures with is part of the effect: validation_data=[test_images,
    // test_labels] is not the validation split. Keras 3 unpacks a list like a tuple
    // (keras/src/trainers/data_adapters/data_adapter_utils.py unpack_x_y_sample_weight), and so
    // does the fingerprint.
    const data = ["x", "y", "validation_data"].map((key) => {
      const value = bound.get(key);
      return value === undefined ? "-" : fingerprint(value);
    });
    this.record(`fit ${model.fingerprint}:${JSON.stringify(fit)}:${data.join(";")}`);
    return { kind: "history", fit };
  }

  /** Training images and labels must match the model's input and output. */
  private checkData(model: ModelValue, x: Value | undefined, y: Value | undefined, xNode: SyntaxNode, yNode: SyntaxNode, node: SyntaxNode): void {
    const input = model.nodes[0]?.outputShape.slice(1) ?? [];
    const output = model.nodes[model.nodes.length - 1]?.outputShape.slice(1) ?? [];
    if (x?.kind === "array" && x.shape.slice(1).some((dim, index) => dim !== null && input[index] !== null && dim !== input[index])) {
      this.report(xNode, "error", "shape", wording.imagesDoNotFit(this.line(node), describeShape(x.shape), describeShape([null, ...input])));
    }
    if (y?.kind !== "array") return;
    const problem = labelsProblem(model.compile?.loss, y.shape.slice(1), output);
    if (problem?.kind === "class-numbers") this.report(yNode, "error", "shape", wording.labelsAreClassNumbers(this.line(node), describeShape(y.shape)));
    else if (problem?.kind === "columns") this.report(yNode, "error", "shape", wording.labelColumns(this.line(node), problem.labelColumns, problem.outputUnits));
  }

}

/** Keyword arguments in the order Python sees them, repeats included. */
function keywordsOf(args: ArgumentNodes): [string, Value][] {
  return [...args.keyword, ...(args.repeatedKeywords ?? [])];
}

function sourcesOf<T>(result: BindResult<T>): Map<string, ArgumentSource> {
  const sources = new Map<string, ArgumentSource>();
  for (const [name, argument] of result.bound) sources.set(name, argument.from);
  for (const [name, argument] of result.extra) sources.set(name, argument.from);
  return sources;
}

function bindProblem(error: BindError): KerasProblem {
  const problem: KerasProblem = { severity: "error", message: error.message, raises: error.raises };
  if (error.at?.kind === "keyword") problem.argument = error.at.name;
  return problem;
}

const BUILTINS = new Set(["len", "dict", "list", "tuple", "range", "int", "float", "abs", "print", "str", "max", "min", "sum", "round", "zip", "enumerate", "sorted", "isinstance", "type", "open", "input"]);

/** Reports the syntax error CPython would report (one, where it reports it), then runs the evaluator; true when the budget or a bug cut it short. */
function evaluate(evaluator: Evaluator, source: ParsedSource): boolean {
  const syntax = pythonSyntaxError(source);
  if (syntax) evaluator.report(rangeOf(source, syntax.from, syntax.to), "error", "syntax", syntax.message);
  try {
    evaluator.run();
    if (syntax) dropErrorsAfter(evaluator.diagnostics, syntax.line - 1);
    return false;
  } catch (error) {
    if (error instanceof TraceDiverged) throw error;
    const start = { line: 0, character: 0 };
    if (error instanceof BudgetExceeded) {
      evaluator.report({ start, end: start }, "info", "budget", "This file takes the checker too long to follow, so only its first part was checked.");
    } else {
      evaluator.report({ start, end: start }, "info", "internal", `The checker could not follow this file (${error instanceof Error ? error.message : String(error)}); please report it.`);
    }
    return true;
  }
}

/**
 * CPython stops at a syntax error; what the checker reads after it is the parser's guess at
 * broken code (a missing ')' swallows the lines below it), so errors found there are not the
 * learner's: only the syntax error is reported from its line on. Info diagnostics stay.
 */
function dropErrorsAfter(diagnostics: Diagnostic[], syntaxLine: number): void {
  for (let index = diagnostics.length - 1; index >= 0; index--) {
    const diagnostic = diagnostics[index] as Diagnostic;
    if (diagnostic.code !== "syntax" && diagnostic.severity !== "info" && diagnostic.range.start.line >= syntaxLine) diagnostics.splice(index, 1);
  }
}

/** Parses and evaluates a file. Never throws; problems come back as diagnostics. */
export function analyzeSource(source: ParsedSource, options: AnalyzeOptions = {}): Analysis {
  const evaluator = new Evaluator(source, options);
  const truncated = evaluate(evaluator, source);
  const models = evaluator.models.map((model) => model.info);
  return {
    diagnostics: [...evaluator.diagnostics, ...memoryWarnings(models, evaluator.runs, options.trainingMachine ?? defaultTrainingMachine())],
    layerCalls: [...evaluator.layerCalls.values()].sort((a, b) => a.from - b.from),
    models,
    runs: evaluator.runs,
    grids: evaluator.grids,
    calls: [...evaluator.boundCalls.values()].sort((a, b) => a.from - b.from),
    trace: evaluator.trace,
    truncated,
  };
}

/** Errors that make a file's effect differ even with the same trace: a wrong type, an undefined name. */
export function effectErrors(diagnostics: readonly Diagnostic[]): number {
  let count = 0;
  for (const diagnostic of diagnostics) if (diagnostic.severity === "error" || diagnostic.code === "undefined-name") count++;
  return count;
}

/**
 * Whether `source` has the same effect as the analysed file `other`: the same trace and as many
 * errors. Equal to comparing `analyzeSource(source)` with `other`, but stops evaluating at the
 * first trace entry that differs, which for a wrong answer is usually early.
 */
export function hasSameEffect(source: ParsedSource, options: AnalyzeOptions, other: Analysis): boolean {
  const evaluator = new Evaluator(source, options, other.trace);
  try {
    evaluate(evaluator, source);
  } catch (error) {
    if (error instanceof TraceDiverged) return false;
    throw error;
  }
  return evaluator.trace.length === other.trace.length && effectErrors(evaluator.diagnostics) === effectErrors(other.diagnostics);
}

export function analyzePython(text: string, options: AnalyzeOptions = {}): Analysis {
  return analyzeSource(parsePython(text), options);
}

/** Whether a layer, or any layer it is applied to, has an argument whose value is not known. */
function dependsOnUnknown(node: GraphNode): boolean {
  return node.unknownArguments.length > 0 || node.inbound.some(dependsOnUnknown);
}
