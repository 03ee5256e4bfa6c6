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
import type { SourceRange } from "../protocol/modelSpec";
import { KERAS_ACTIVATION_NAMES } from "../keras/activations";
import { buildLayer, KERAS_LAYERS_MODULE } from "../keras/layers";
import { KERAS_LOSS_NAMES, KERAS_METRIC_NAMES, savedModelPathProblem } from "../keras/training";
import { bindArguments, LAYER_NAMES, toPy, toPyCall, type CallArguments, type LayerProblem } from "./keras";
import { childrenOf, isBlank, nodeRange, nodeText, parsePython, pythonSyntaxError, rangeOf, type ParsedSource } from "../python";
import type { Analysis, AnalyzeOptions, BoundCallInfo, Diagnostic, DiagnosticCode, GridSearchInfo, LayerCallInfo, ModelInfo, Severity, TrainingRun } from "./analysis";
import { noArguments, type ArgumentNodes, type Interpreter } from "./interpreter";
import { defaultTrainingMachine, memoryWarnings } from "./memory";
import { loadData, toCategorical } from "./kerasData";
import { callLayer, kerasInput, kerasModel, kerasOptimizer, kerasSequential, modelMethod, recordCall, reportKeras, sequentialMethod } from "./kerasNatives";
import { classifier, gridSearch, runGrid, trainTestSplit } from "./sklearn";
import * as wording from "./wording";
import { fingerprint, float, NONE, num, UNKNOWN, type FunctionValue, type ModelValue, type Value } from "./values";

const DEFAULT_INPUT_SHAPE = [32, 32, 3];


class BudgetExceeded extends Error {}

/** Thrown when the trace departs from the one it is compared with: the rest cannot make it equal. */
class TraceDiverged extends Error {}

/** Thrown for every answer that differs, so made once: an Error records its stack when made. */
const TRACE_DIVERGED = new TraceDiverged("the trace differs from the one compared with");

interface Scope {
  vars: Map<string, Value>;
  parent: Scope | null;
}

/** One argument of a call as written: `value`, `name=value`, or `*value` / `**value` (or what cannot be read). */
type WrittenArgument = { kind: "positional"; value: SyntaxNode } | { kind: "keyword"; name: string; value: SyntaxNode } | { kind: "splat"; value?: SyntaxNode };

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
  readonly functionStack: string[] = [];
  private readonly reportedOnce = new Set<string>();
  /** Graph node id -> offset of the call that made it, to find a model's output layer call. */
  readonly callOfNode = new Map<number, number>();
  private readonly childrenOfNode = new Map<SyntaxNode, readonly SyntaxNode[]>();
  /** The targets (`a = b = ...`) and the values of each assignment, read once. */
  private readonly assignmentParts = new Map<SyntaxNode, { targets: SyntaxNode[][]; values: SyntaxNode[] }>();
  /** The arguments of each argument list, read once: a function's body runs once per call. */
  private readonly argumentsOfList = new Map<SyntaxNode, readonly WrittenArgument[]>();
  private steps = 0;
  nextNodeId = 0;
  private readonly deadline: number;
  private readonly maxSteps: number;
  readonly inputShape: number[];

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
    if (this.compareWith && this.compareWith[this.trace.length] !== entry) throw TRACE_DIVERGED;
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
  children(node: SyntaxNode): readonly SyntaxNode[] {
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
        const what = wording.OUTSIDE_SUBSET[node.name] ?? wording.ANY_STATEMENT;
        this.report(node, "info", "outside-subset", wording.statementSkipped(what, this.line(node)));
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
        this.report(node, "info", "outside-subset", wording.libraryNotFollowed(this.line(node), root));
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
    let parts = this.assignmentParts.get(node);
    if (!parts) {
      const groups: SyntaxNode[][] = [[]];
      for (const child of this.children(node)) {
        if (child.name === "AssignOp") groups.push([]);
        else if (child.name !== "TypeDef") groups[groups.length - 1]?.push(child);
      }
      const values = groups.pop() ?? [];
      parts = { targets: groups, values };
      this.assignmentParts.set(node, parts);
    }
    const value = this.evalList(parts.values, scope);
    for (const targets of parts.targets) this.assignTargets(targets, value, scope);
  }

  /** Binds `a`, `a, b` or `(a, b), (c, d)` to a value, unpacking tuples and lists. */
  private assignTargets(targets: SyntaxNode[], value: Value, scope: Scope): void {
    const single = targets.length === 1 ? targets[0] : undefined;
    if (single && single.name !== ",") {
      this.assignTarget(single, value, scope);
      return;
    }
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
      this.report(at, "error", "shape", wording.unpacksOtherCount(this.line(at), value.items.length, items.length));
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
    // One value, the usual case, without the arrays below.
    const single = nodes.length === 1 ? nodes[0] : undefined;
    if (single && single.name !== ",") return this.eval(single, scope);
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
        const what = wording.OUTSIDE_SUBSET[node.name];
        if (what) this.report(node, "info", "outside-subset", wording.expressionUnknown(what));
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
      if (this.unboundNamesPossible) this.report(node, "info", "undefined-name", wording.perhapsUndefinedName(name, this.line(node)));
      else this.report(node, "error", "undefined-name", wording.undefinedName(this.line(node), name));
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
      this.report(node, "error", "undefined-name", wording.attributeOfNone(this.line(node), nodeText(this.source, property)));
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
      case "activation":
      case "bool":
      case "classifier":
      case "dict":
      case "function":
      case "grid":
      case "layer":
      case "list":
      case "loss":
      case "method":
      case "metric":
      case "none":
      case "number":
      case "optimizer":
      case "sequential":
      case "string":
      case "tuple":
        return { kind: "method", self: object, name };
      default: {
        const unhandled: never = object;
        return unhandled;
      }
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
      this.report(node, "error", "shape", wording.stringInArithmetic(this.line(node), text, operator));
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
            this.report(node, "error", "shape", wording.divisionByZero(this.line(node)));
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

  /** The arguments as written in an argument list: a run of children between commas each. */
  private writtenArguments(argList: SyntaxNode): readonly WrittenArgument[] {
    const known = this.argumentsOfList.get(argList);
    if (known) return known;
    const groups: SyntaxNode[][] = [[]];
    for (const child of this.children(argList)) {
      if (child.name === "(" || child.name === ")") continue;
      if (child.name === ",") groups.push([]);
      else groups[groups.length - 1]?.push(child);
    }
    const written: WrittenArgument[] = [];
    for (const group of groups) {
      const [first, second, third] = group;
      if (!first) continue;
      if (first.name === "*" || first.name === "**") written.push(second ? { kind: "splat", value: second } : { kind: "splat" });
      else if (second?.name === "AssignOp" && third && first.name === "VariableName") written.push({ kind: "keyword", name: nodeText(this.source, first), value: third });
      else if (group.length === 1) written.push({ kind: "positional", value: first });
      else written.push({ kind: "splat" });
    }
    this.argumentsOfList.set(argList, written);
    return written;
  }

  private argumentsOf(argList: SyntaxNode | undefined, scope: Scope): ArgumentNodes {
    const result = noArguments();
    if (!argList) return result;
    for (const argument of this.writtenArguments(argList)) {
      if (argument.kind === "splat") {
        result.splat = true;
        if (argument.value) this.eval(argument.value, scope);
      } else if (argument.kind === "keyword") {
        const { name, value: valueNode } = argument;
        const value = this.eval(valueNode, scope);
        if (result.keyword.has(name)) {
          // `f(a=1, a=2)`: CPython's SyntaxError; kept so that binding can say so.
          (result.repeatedKeywords ??= []).push([name, value]);
          (result.repeatedKeywordNodes ??= []).push(valueNode);
        } else {
          result.keyword.set(name, value);
          result.keywordNodes.set(name, valueNode);
        }
      } else {
        result.positional.push(this.eval(argument.value, scope));
        result.positionalNodes.push(argument.value);
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
        return callLayer(this, callee, args, node);
      case "method":
        return this.callMethod(callee.self, callee.name, args, node);
      // Not callable in the lesson's subset: what calling one gives is not known.
      case "activation":
      case "array":
      case "bool":
      case "classifier":
      case "dict":
      case "grid":
      case "history":
      case "list":
      case "loss":
      case "metric":
      case "model":
      case "none":
      case "number":
      case "optimizer":
      case "sequential":
      case "string":
      case "tensor":
      case "tuple":
      case "unknown":
        return UNKNOWN;
      default: {
        const unhandled: never = callee;
        return unhandled;
      }
    }
  }

  callFunction(fn: FunctionValue, args: ArgumentNodes, node: SyntaxNode): Value {
    this.functionsCalled.add(fn.node.from);
    if (this.functionStack.length > 30) {
      this.report(node, "info", "outside-subset", wording.callsTooDeep(this.line(node)));
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
    if (path === "keras.Input" || path === "keras.layers.Input") return kerasInput(this, args, node);
    if (parent === "keras.layers") {
      const className = LAYER_NAMES.get(leaf);
      if (!className) {
        if (KERAS_LAYERS_MODULE.includes(leaf)) {
          this.report(node, "info", "outside-subset", wording.layerOutsideSubset(leaf, this.line(node)));
        } else {
          // keras/api/layers/__init__.py lists every name keras.layers has; anything else is an AttributeError.
          const spelled = KERAS_LAYERS_MODULE.find((name) => name.toLowerCase() === leaf.toLowerCase());
          this.report(node, "error", "layer-argument", wording.noSuchLayer(this.line(node), leaf, spelled !== undefined));
        }
        return UNKNOWN;
      }
      const built = buildLayer(className, toPyCall(args));
      // With `*args`/`**kwargs` the call's arguments are not all known: no verdict on binding.
      if (!args.splat) reportKeras(this, built.problems, built.sources, args, node, "layer-argument");
      const layer: Value = {
        kind: "layer",
        layer: built.layer,
        unknownArguments: args.splat ? [...built.unknownArguments, "*args"] : built.unknownArguments,
        source: nodeRange(this.source, node),
        arguments: recordCall(this, `keras.layers.${className}`, built.sources, args, node),
      };
      if (built.name !== undefined) layer.name = built.name;
      return layer;
    }
    if (path === "keras.Model" || path === "keras.models.Model") return kerasModel(this, args, node);
    if (parent === "keras.optimizers") return kerasOptimizer(this, leaf, args, node);
    if ((parent === "keras.losses" && KERAS_LOSS_NAMES.includes(leaf)) || (parent === "keras.metrics" && KERAS_METRIC_NAMES.includes(leaf))) {
      const kind = parent === "keras.losses" ? "loss" : "metric";
      // A class builds an object; a function (`categorical_crossentropy(y, p)`) computes values.
      if (!/^[A-Z]/.test(leaf)) return UNKNOWN;
      const fromLogits = kind === "loss" ? args.keyword.get("from_logits") : undefined;
      const others = [...args.keyword.keys()].filter((key) => key !== "from_logits");
      if (args.positional.length > 0 || others.length > 0) {
        this.report(node, "info", "outside-subset", wording.argumentsLeftOut(this.line(node), path));
      }
      if (fromLogits?.kind === "bool" && fromLogits.value) return { kind: "loss", name: leaf, object: true, fromLogits: true };
      return { kind, name: leaf, object: true };
    }
    if (parent.startsWith("keras.datasets.") && leaf === "load_data") return loadData(this, parent.slice("keras.datasets.".length), node);
    if (path === "keras.utils.to_categorical") return toCategorical(this, args, node);
    if (path === "keras.models.load_model" || path === "keras.saving.load_model") {
      const problem = savedModelPathProblem(toPy(args.positional[0] ?? args.keyword.get("filepath") ?? UNKNOWN), "load");
      if (problem) this.report(args.positionalNodes[0] ?? args.keywordNodes.get("filepath") ?? node, "error", "model", wording.atLine(this.line(node), problem.message));
      return UNKNOWN;
    }
    if (path === "sklearn.model_selection.train_test_split") return trainTestSplit(this, args, node);
    if (path === "scikeras.wrappers.KerasClassifier") return classifier(args);
    if (path === "sklearn.model_selection.GridSearchCV") return gridSearch(this, args, node);
    if (parent === "builtins") return this.builtin(leaf, args);
    if (path === "keras.Sequential" || path === "keras.models.Sequential") return kerasSequential(this, args, node);
    if (path.startsWith("keras.") && !path.startsWith("keras.utils.") && !path.startsWith("keras.callbacks.")) {
      this.report(node, "info", "outside-subset", wording.kerasCallOutsideSubset(path));
    }
    if (isUnfollowedLibrary(path)) this.report(node, "info", "outside-subset", wording.callNotFollowed(this.line(node), path));
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

  // ---- methods -----------------------------------------------------------------------------

  private callMethod(self: Value, name: string, args: ArgumentNodes, node: SyntaxNode): Value {
    if (self.kind === "model") return modelMethod(this, self, name, args, node);
    if (self.kind === "sequential") return sequentialMethod(this, self, name, args, node);
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
      evaluator.report({ start, end: start }, "info", "budget", wording.checkTooLong());
    } else {
      evaluator.report({ start, end: start }, "info", "internal", wording.fileCheckFailed(error instanceof Error ? error.message : String(error)));
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

