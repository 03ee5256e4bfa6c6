/**
 * Keras as the lesson's code calls it, evaluated as data: `keras.Input`, layers applied to
 * tensors, `keras.Model` and `keras.Sequential`, optimizers, and a model's `compile`, `fit`,
 * `evaluate`, `predict`, `summary` and `save`. Each reads its rules from the Keras 3 registry
 * (src/keras) and reports what Keras 3 would raise, in the learner's words, on the argument at fault.
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
} from "../protocol/modelSpec";
import type { KerasProblem } from "../keras/arguments";
import { INPUT_SIGNATURE, readInputShape, takesActivation } from "../keras/layers";
import { bindCall, type ArgumentSource, type BindError, type BindResult } from "../keras/python";
import {
  buildOptimizer,
  COMPILE_SIGNATURE,
  FIT_SIGNATURE,
  isKerasOptimizer,
  labelsProblem,
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
import { defaultLayerName, inferLayer, toPy, toPyCall, type BoundArgumentInfo } from "./keras";
import { nodeRange, nodeText } from "../python";
import type { DiagnosticCode, ModelInfo } from "./analysis";
import * as wording from "./wording";
import { describeShape, fingerprint, NONE, num, UNKNOWN, type GraphNode, type ModelValue, type SequentialValue, type Shape, type Value } from "./values";
import type { ArgumentNodes, Interpreter } from "./interpreter";
import { noArguments } from "./interpreter";

export function kerasInput(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): Value {
  const bound = bindCall(INPUT_SIGNATURE, toPyCall(args));
  const sources = sourcesOf(bound);
  const problems: KerasProblem[] = bound.error ? [bindProblem(bound.error)] : [];
  const read = readInputShape(bound.bound.get("shape")?.value);
  if (read.problem) problems.push(read.problem);
  reportKeras(ev, problems, sources, args, node, "layer-argument");
  recordCall(ev, "keras.Input", sources, args, node);
  const nameValue = bound.bound.get("name")?.value;
  const known = read.shape ?? ev.inputShape;
  const graphNode = makeGraphNode(ev, { class_name: "InputLayer", config: { shape: known } }, [], [null, ...known], 0, read.shape ? [] : ["shape"], node, nameValue?.kind === "str" ? nameValue.value : undefined);
  return { kind: "tensor", node: graphNode };
}

/**
 * `keras.Sequential([...])` (keras/src/models/sequential.py): the layers are applied in order,
 * when the model is first used (compile, fit, summary), as Keras builds it; `.add` appends.
 */
export function kerasSequential(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): Value {
  const binding = bindCall(SEQUENTIAL_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
  const sources = sourcesOf(binding);
  const problems: KerasProblem[] = binding.error ? [bindProblem(binding.error)] : [];
  const nameValue = binding.bound.get("name")?.value;
  const nameCheck = nameProblem(nameValue === undefined ? undefined : toPy(nameValue));
  if (nameCheck) problems.push(nameCheck);
  reportKeras(ev, problems, sources, args, node, "model");
  recordCall(ev, "keras.Sequential", sources, args, node);
  const layersValue = binding.bound.get("layers")?.value;
  const layersSource = sources.get("layers");
  const layersNode = layersSource ? argumentNode(layersSource, args) : undefined;
  const itemNodes = layersNode && (layersNode.name === "ArrayExpression" || layersNode.name === "TupleExpression") ? ev.children(layersNode).filter((child) => !["[", "]", "(", ")", ","].includes(child.name)) : [];
  const entries: SequentialValue["entries"] = [];
  if (layersValue?.kind === "list" || layersValue?.kind === "tuple") layersValue.items.forEach((item, index) => entries.push({ value: item, node: itemNodes[index] ?? node }));
  else if (layersValue !== undefined && layersValue.kind !== "none") entries.push({ value: UNKNOWN, node });
  const value: SequentialValue = { kind: "sequential", entries, name: nameValue?.kind === "string" ? nameValue.value : "sequential", node };
  const creator = ev.functionStack[ev.functionStack.length - 1];
  if (creator !== undefined) value.createdBy = creator;
  // Keras 3 builds a Sequential that starts with an Input at once (sequential.py _maybe_rebuild).
  if (entries[0]?.value.kind === "tensor") buildSequential(ev, value);
  return value;
}

/** The functional model a Sequential stands for, built on first use. */
export function buildSequential(ev: Interpreter, value: SequentialValue): Value {
  if (value.built) return value.built;
  const [first, ...rest] = value.entries;
  if (first?.value.kind !== "tensor" || first.value.node.layer.class_name !== "InputLayer") {
    if (first?.value.kind !== "unknown") {
      ev.report(value.node, "info", "outside-subset", wording.sequentialWithoutInput(ev.line(value.node)));
    }
    value.built = UNKNOWN;
    return UNKNOWN;
  }
  let current: Value = first.value;
  for (const entry of rest) {
    if (entry.value.kind !== "layer") {
      if (entry.value.kind !== "unknown") ev.report(entry.node, "error", "model", wording.sequentialTakesLayers(ev.line(entry.node), nodeText(ev.source, entry.node)));
      current = UNKNOWN;
      break;
    }
    current = callLayer(ev, entry.value, { positional: [current], keyword: new Map(), positionalNodes: [entry.node], keywordNodes: new Map(), splat: false }, entry.node);
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
  const model = kerasModel(ev, args, value.node);
  // Built later (at compile, after .add): the model is still the one the creating function made.
  if (model.kind === "model" && value.createdBy !== undefined) {
    model.builtBy = value.createdBy;
    for (const entry of ev.models) if (entry.value === model) entry.info.builtBy = value.createdBy;
  }
  value.built = model;
  return model;
}

/** Reports the registry's problems at the argument each is about (or the call). */
export function reportKeras(ev: Interpreter, problems: readonly KerasProblem[], sources: ReadonlyMap<string, ArgumentSource>, args: ArgumentNodes, node: SyntaxNode, code: DiagnosticCode): void {
  for (const problem of problems) {
    const source = problem.argument === undefined ? undefined : sources.get(problem.argument);
    const at = (source && argumentNode(source, args)) ?? node;
    ev.report(at, problem.severity, code, wording.atLine(ev.line(at), problem.message));
  }
}

export function argumentNode(source: ArgumentSource, args: ArgumentNodes): SyntaxNode | undefined {
  return source.kind === "positional" ? args.positionalNodes[source.index] : args.keywordNodes.get(source.name);
}

/** Records which argument holds each parameter of a Keras call, for `Analysis.calls`. */
export function recordCall(ev: Interpreter, callee: string, sources: ReadonlyMap<string, ArgumentSource>, args: ArgumentNodes, node: SyntaxNode): BoundArgumentInfo[] {
  const infos: BoundArgumentInfo[] = [];
  for (const [param, source] of sources) {
    const at = argumentNode(source, args);
    if (at) infos.push({ param, by: source.kind, from: at.from, to: at.to });
  }
  if (!ev.boundCalls.has(node.from)) ev.boundCalls.set(node.from, { callee, range: nodeRange(ev.source, node), from: node.from, to: node.to, arguments: infos });
  return infos;
}

export function makeGraphNode(ev: Interpreter, layer: GraphNode["layer"], inbound: GraphNode[], outputShape: Shape, params: number, unknownArguments: string[], node: SyntaxNode, name: string | undefined): GraphNode {
  // An explicit name equal to Keras's default stem (`Flatten(name='flatten')`) names the same layer.
  const named = name !== undefined && name !== defaultLayerName(layer.class_name) ? `#${name}` : "";
  const description = `${layer.class_name}${JSON.stringify(layer.config)}${named}${unknownArguments.length ? `?${unknownArguments.join(",")}` : ""}(${inbound.map((input) => input.fingerprint).join(",")})`;
  const graphNode: GraphNode = { id: ev.nextNodeId++, layer, inbound, outputShape, params, unknownArguments, source: nodeRange(ev.source, node), fingerprint: description };
  if (name !== undefined) graphNode.name = name;
  return graphNode;
}

export function callLayer(ev: Interpreter, layer: Extract<Value, { kind: "layer" }>, args: ArgumentNodes, node: SyntaxNode): Value {
  const [input] = args.positional;
  const inputNode = args.positionalNodes[0] ?? node;
  const className = layer.layer.class_name;
  if (!input || args.positional.length > 1) {
    ev.report(node, "error", "shape", wording.layerTakesOneTensor(ev.line(node), className));
    return UNKNOWN;
  }
  if (input.kind !== "tensor") {
    if (input.kind !== "unknown") {
      ev.report(inputNode, "error", "shape", wording.layerAppliedToNonTensor(ev.line(node), className, nodeText(ev.source, inputNode)));
    }
    return UNKNOWN;
  }
  const inference = inferLayer(layer.layer, input.node.outputShape);
  const params = inference.trainableParams + inference.nonTrainableParams;
  for (const problem of inference.problems) ev.report(node, problem.severity, "shape", wording.atLine(ev.line(node), problem.message));
  const graphNode = makeGraphNode(ev, layer.layer, [input.node], inference.outputShape, params, layer.unknownArguments, node, layer.name);
  // keras.layers.Activation after a layer without one computes what activation= on that layer would.
  if (layer.layer.class_name === "Activation") {
    const before = ev.layerCalls.get(ev.callOfNode.get(input.node.id) ?? -1);
    const config = before?.layer.config as { activation?: string } | undefined;
    if (before && config?.activation === "linear" && before.className !== "InputLayer" && takesActivation(before.className)) before.activationAfter = layer.layer.config.activation;
  }
  ev.record(`layer ${graphNode.fingerprint}`);
  ev.callOfNode.set(graphNode.id, node.from);
  if (!ev.layerCalls.has(node.from)) {
    ev.layerCalls.set(node.from, {
      range: nodeRange(ev.source, node),
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

export function kerasModel(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): Value {
  const binding = bindCall(MODEL_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
  const sources = sourcesOf(binding);
  const modelName = binding.bound.get("name")?.value;
  const modelProblems = [...(binding.error ? [bindProblem(binding.error)] : []), ...[nameProblem(modelName === undefined ? undefined : toPy(modelName))].filter((problem) => problem !== undefined)];
  reportKeras(ev, modelProblems, sources, args, node, "model");
  if (args.keyword.has("inputs") || args.positional.length > 0) recordCall(ev, "keras.Model", sources, args, node);
  const bound = new Map([...binding.bound].map(([key, argument]) => [key, argument.value]));
  const inputs = bound.get("inputs");
  const outputs = bound.get("outputs");
  const at = (name: string): SyntaxNode => args.keywordNodes.get(name) ?? node;
  const inputTensor = inputs?.kind === "list" || inputs?.kind === "tuple" ? inputs.items[0] : inputs;
  const outputTensor = outputs?.kind === "list" || outputs?.kind === "tuple" ? outputs.items[0] : outputs;
  if (inputTensor?.kind !== "tensor" || outputTensor?.kind !== "tensor") {
    if (inputs === undefined || outputs === undefined) ev.report(node, "error", "model", wording.modelNeedsInputsAndOutputs(ev.line(node)));
    else if (inputTensor?.kind !== "tensor" && inputTensor?.kind !== "unknown") ev.report(at("inputs"), "error", "model", wording.modelInputsNotATensor(ev.line(node)));
    else if (outputTensor?.kind !== "tensor" && outputTensor?.kind !== "unknown") ev.report(at("outputs"), "error", "model", wording.modelOutputsNotATensor(ev.line(node)));
    return UNKNOWN;
  }
  if (inputTensor.node.layer.class_name !== "InputLayer") {
    ev.report(at("inputs"), "error", "model", wording.modelInputsFromALayer(ev.line(node), inputTensor.node.layer.class_name));
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
    ev.report(at("outputs"), "error", "model", wording.modelOutputsNotFromInputs(ev.line(node)));
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
  // Written out rather than spread: spreading the layer was some 7 % of a check with a wrong blank.
  const layers: LayerSpec[] = ordered.map((graphNode) => {
    const inbound = graphNode.inbound.map((parent) => names.get(parent.id) ?? "");
    const name = names.get(graphNode.id) ?? "";
    const { class_name, config } = graphNode.layer;
    return (graphNode.source ? { class_name, config, name, inbound, source: graphNode.source } : { class_name, config, name, inbound }) as LayerSpec;
  });
  const nameValue = bound.get("name");
  const spec: ModelSpec = { name: nameValue?.kind === "string" ? nameValue.value : "functional", layers, output: names.get(outputTensor.node.id) ?? "" };
  const totalParams = ordered.reduce((sum, graphNode) => sum + graphNode.params, 0);
  const complete = ordered.every((graphNode) => graphNode.unknownArguments.length === 0);
  const builtBy = ev.functionStack[ev.functionStack.length - 1];
  const value: ModelValue = { kind: "model", spec, nodes: ordered, totalParams, complete, source: nodeRange(ev.source, node), fingerprint: `model ${spec.name}:${outputTensor.node.fingerprint}` };
  if (builtBy !== undefined) value.builtBy = builtBy;
  const info: ModelInfo = { spec, totalParams, outputShapes: ordered.map((graphNode) => graphNode.outputShape), params: ordered.map((graphNode) => graphNode.params), complete, range: nodeRange(ev.source, node) };
  if (builtBy !== undefined) info.builtBy = builtBy;
  ev.models.push({ value, info });
  const outputCall = ev.layerCalls.get(ev.callOfNode.get(outputTensor.node.id) ?? -1);
  if (outputCall) outputCall.isModelOutput = true;
  ev.record(value.fingerprint);
  return value;
}

export function kerasOptimizer(ev: Interpreter, className: string, args: ArgumentNodes, node: SyntaxNode): Value {
  const trainable = KERAS_OPTIMIZER_CLASSES.includes(className) ? trainableOptimizer(className) : undefined;
  if (!trainable) {
    if (isKerasOptimizer(className)) {
      ev.report(node, "warning", "compile", wording.optimizerClassNotTrainable(ev.line(node), className));
      return { kind: "optimizer", className, spec: null };
    }
    const other = KERAS_OPTIMIZER_CLASSES.find((name) => name.toLowerCase() === className.toLowerCase());
    if (other !== undefined) {
      ev.report(node, "error", "compile", wording.optimizerClassMisspelled(ev.line(node), className));
    } else {
      ev.report(node, "info", "outside-subset", wording.optimizerClassOutsideSubset(className));
    }
    return UNKNOWN;
  }
  const built = buildOptimizer(trainable, toPyCall(args));
  if (!args.splat) reportKeras(ev, built.problems, built.sources, args, node, "compile");
  recordCall(ev, `keras.optimizers.${className}`, built.sources, args, node);
  return { kind: "optimizer", className, spec: built.spec };
}

/** `.add(layer)` appends (keras/src/models/sequential.py); anything else is a method of the model it builds. */
export function sequentialMethod(ev: Interpreter, self: SequentialValue, name: string, args: ArgumentNodes, node: SyntaxNode): Value {
  if (name === "add") {
    self.entries.push({ value: args.positional[0] ?? args.keyword.get("layer") ?? UNKNOWN, node: args.positionalNodes[0] ?? args.keywordNodes.get("layer") ?? node });
    delete self.built;
    return NONE;
  }
  const model = buildSequential(ev, self);
  return model.kind === "model" ? modelMethod(ev, model, name, args, node) : UNKNOWN;
}

export function modelMethod(ev: Interpreter, model: ModelValue, name: string, args: ArgumentNodes, node: SyntaxNode): Value {
  switch (name) {
    case "compile": {
      const compile = compileSpec(ev, args, node);
      model.compileCalled = true;
      if (compile) {
        model.compile = compile;
        for (const entry of ev.models) if (entry.value === model) entry.info.compile = compile;
        ev.record(`compile ${model.fingerprint}:${JSON.stringify(compile)}`);
      }
      return NONE;
    }
    case "fit":
      return fitModel(ev, model, args, node);
    case "predict": {
      const binding = bindCall(PREDICT_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
      const sources = sourcesOf(binding);
      recordCall(ev, "model.predict", sources, args, node);
      if (binding.error && !args.splat) reportKeras(ev, [bindProblem(binding.error)], sources, args, node, "fit");
      const data = binding.bound.get("x")?.value;
      const output = model.nodes[model.nodes.length - 1]?.outputShape ?? [null];
      return { kind: "array", shape: [data?.kind === "array" ? (data.shape[0] ?? null) : null, ...output.slice(1)] };
    }
    case "evaluate": {
      const binding = bindCall(EVALUATE_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
      const sources = sourcesOf(binding);
      recordCall(ev, "model.evaluate", sources, args, node);
      if (binding.error && !args.splat) reportKeras(ev, [bindProblem(binding.error)], sources, args, node, "fit");
      const at = (key: string): SyntaxNode => {
        const source = sources.get(key);
        return (source && argumentNode(source, args)) ?? node;
      };
      checkData(ev, model, binding.bound.get("x")?.value, binding.bound.get("y")?.value, at("x"), at("y"), node);
      if (!model.compile) return UNKNOWN;
      return { kind: "list", items: [UNKNOWN, ...(model.compile?.metrics ?? []).map(() => UNKNOWN)] };
    }
    case "count_params":
      return num(model.totalParams);
    case "save": {
      const problem = savedModelPathProblem(toPy(args.positional[0] ?? args.keyword.get("filepath") ?? UNKNOWN), "save");
      if (problem) ev.report(args.positionalNodes[0] ?? args.keywordNodes.get("filepath") ?? node, "error", "model", wording.atLine(ev.line(node), problem.message));
      return NONE;
    }
    case "summary":
      return NONE;
    default:
      return UNKNOWN;
  }
}

/** `model.compile(...)`, with Keras 3's rules for the optimizer, the loss and the metrics (see src/keras/training.ts). */
export function compileSpec(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): CompileSpec | null {
  const binding = bindCall(COMPILE_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
  const sources = sourcesOf(binding);
  recordCall(ev, "model.compile", sources, args, node);
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
    else if (lookup.kind === "untrainable") problem("optimizer", "warning", wording.optimizerNameNotTrainable(lookup.name));
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
  reportKeras(ev, problems, sources, args, node, "compile");
  // Keras 3 raises for any of these errors, at compile() or when fit() builds the loss and metrics.
  if (unknown || !optimizer || !loss || problems.some((entry) => entry.severity === "error")) return null;
  return { optimizer, loss, metrics: [...new Set(metrics)] };
}

export function fitModel(ev: Interpreter, model: ModelValue, args: ArgumentNodes, node: SyntaxNode): Value {
  const binding = bindCall(FIT_SIGNATURE, { positional: args.positional, keywords: keywordsOf(args) });
  const sources = sourcesOf(binding);
  recordCall(ev, "model.fit", sources, args, node);
  const bound = new Map([...binding.bound].map(([key, argument]) => [key, argument.value]));
  const reading = readFit(new Map([...bound].map(([key, value]) => [key, toPy(value)])));
  reportKeras(ev, binding.error ? [bindProblem(binding.error), ...reading.problems] : reading.problems, sources, args, node, "fit");
  const fit: FitSpec = reading.fit;
  const at = (key: string): SyntaxNode => {
    const source = sources.get(key);
    return (source && argumentNode(source, args)) ?? node;
  };
  checkData(ev, model, bound.get("x"), bound.get("y"), at("x"), at("y"), node);
  if (!model.compileCalled) {
    ev.report(node, "error", "fit", wording.fitBeforeCompile(ev.line(node)));
  } else if (model.compile) {
    ev.runs.push({ model: model.spec, compile: model.compile, fit, range: nodeRange(ev.source, node) });
  }
  // What it trains on and measures with is part of the effect: validation_data=[test_images,
  // test_labels] is not the validation split. Keras 3 unpacks a list like a tuple
  // (keras/src/trainers/data_adapters/data_adapter_utils.py unpack_x_y_sample_weight), and so
  // does the fingerprint.
  const data = ["x", "y", "validation_data"].map((key) => {
    const value = bound.get(key);
    return value === undefined ? "-" : fingerprint(value);
  });
  ev.record(`fit ${model.fingerprint}:${JSON.stringify(fit)}:${data.join(";")}`);
  return { kind: "history", fit };
}

/** Training images and labels must match the model's input and output. */
export function checkData(ev: Interpreter, model: ModelValue, x: Value | undefined, y: Value | undefined, xNode: SyntaxNode, yNode: SyntaxNode, node: SyntaxNode): void {
  const input = model.nodes[0]?.outputShape.slice(1) ?? [];
  const output = model.nodes[model.nodes.length - 1]?.outputShape.slice(1) ?? [];
  if (x?.kind === "array" && x.shape.slice(1).some((dim, index) => dim !== null && input[index] !== null && dim !== input[index])) {
    ev.report(xNode, "error", "shape", wording.imagesDoNotFit(ev.line(node), describeShape(x.shape), describeShape([null, ...input])));
  }
  if (y?.kind !== "array") return;
  const problem = labelsProblem(model.compile?.loss, y.shape.slice(1), output);
  if (problem?.kind === "class-numbers") ev.report(yNode, "error", "shape", wording.labelsAreClassNumbers(ev.line(node), describeShape(y.shape)));
  else if (problem?.kind === "columns") ev.report(yNode, "error", "shape", wording.labelColumns(ev.line(node), problem.labelColumns, problem.outputUnits));
}

/** Keyword arguments in the order Python sees them, repeats included. */
export function keywordsOf(args: ArgumentNodes): [string, Value][] {
  return [...args.keyword, ...(args.repeatedKeywords ?? [])];
}

export function sourcesOf<T>(result: BindResult<T>): Map<string, ArgumentSource> {
  const sources = new Map<string, ArgumentSource>();
  for (const [name, argument] of result.bound) sources.set(name, argument.from);
  for (const [name, argument] of result.extra) sources.set(name, argument.from);
  return sources;
}

export function bindProblem(error: BindError): KerasProblem {
  const problem: KerasProblem = { severity: "error", message: error.message, raises: error.raises };
  if (error.at?.kind === "keyword") problem.argument = error.at.name;
  return problem;
}

/** Whether a layer, or any layer it is applied to, has an argument whose value is not known. */
export function dependsOnUnknown(node: GraphNode): boolean {
  return node.unknownArguments.length > 0 || node.inbound.some(dependsOnUnknown);
}
