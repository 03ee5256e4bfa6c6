/**
 * scikit-learn and SciKeras as the lesson uses them, evaluated as data: train_test_split's sizes
 * and seed, a KerasClassifier around one of the learner's functions, and GridSearchCV's
 * combinations, each run as the Keras model, compile and fit it would train. The rules come from
 * scikit-learn's own source (cited beside each).
 */
import type { SyntaxNode } from "@lezer/common";
import { KERAS_DEFAULTS } from "../protocol/modelSpec";
import { lookupLoss, lookupOptimizer } from "../keras/training";
import { nodeRange } from "../python";
import type { GridSearchInfo } from "./analysis";
import { noArguments, type ArgumentNodes, type Interpreter } from "./interpreter";
import { bindArguments, toPy, type CallArguments } from "./keras";
import { fingerprint, NONE, UNKNOWN, type Value } from "./values";

/** `train_test_split(*arrays, test_size=, train_size=, random_state=)`: each array split in two, by scikit-learn's rounding. */
export function trainTestSplit(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): Value {
  const testSize = args.keyword.get("test_size");
  const trainSize = args.keyword.get("train_size");
  // sklearn/model_selection/_split.py validates test_size and train_size: a float in (0, 1), an int or None.
  for (const [name, size] of [["test_size", testSize], ["train_size", trainSize]] as const) {
    if (size?.kind !== "string") continue;
    const at = args.keywordNodes.get(name) ?? node;
    ev.report(at, "error", "shape", `Line ${ev.line(at)}: ${name}='${size.value}' is a string; scikit-learn wants a number (a share between 0 and 1, or a count) and raises an InvalidParameterError. Write it without quotes.`);
    return UNKNOWN;
  }
  const items: Value[] = [];
  for (const array of args.positional) {
    if (array.kind !== "array" || array.shape[0] === null || array.shape[0] === undefined) {
      items.push(UNKNOWN, UNKNOWN);
      continue;
    }
    const count = array.shape[0];
    // scikit-learn rounds the test part up: ceil(0.2 * 50000) = 10000.
    let test = Math.ceil(count * 0.25);
    if (testSize?.kind === "number") test = testSize.value < 1 ? Math.ceil(count * testSize.value) : testSize.value;
    else if (trainSize?.kind === "number") test = count - (trainSize.value < 1 ? Math.floor(count * trainSize.value) : trainSize.value);
    else if (testSize !== undefined || trainSize !== undefined) test = NaN;
    const rest = array.shape.slice(1);
    // Which images land in which part depends on the seed, not only on the sizes.
    const made = `${array.made ?? ""}|split(${fingerprint(args.keyword.get("random_state") ?? NONE)})`;
    items.push(Number.isNaN(test) ? UNKNOWN : { kind: "array", shape: [count - test, ...rest], made }, Number.isNaN(test) ? UNKNOWN : { kind: "array", shape: [test, ...rest], made });
  }
  return { kind: "list", items };
}

/** `KerasClassifier(model=build_fn, **options)`: the learner's build function and the settings it passes on. */
export function classifier(args: CallArguments): Value {
  const options = new Map(args.keyword);
  const build = options.get("model") ?? options.get("build_fn") ?? args.positional[0];
  options.delete("model");
  options.delete("build_fn");
  return { kind: "classifier", build: build?.kind === "function" ? build : null, options };
}

/** `GridSearchCV(estimator, param_grid, cv=)`: the grid, expanded when it is fit. */
export function gridSearch(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): Value {
  const bound = bindArguments(["estimator", "param_grid"], args, [], "GridSearchCV");
  const estimator = bound.get("estimator");
  const grid = bound.get("param_grid");
  const cv = bound.get("cv");
  // sklearn/model_selection/_split.py check_cv: a number of folds must be an int.
  if (cv?.kind === "number" && (cv.float || !Number.isInteger(cv.value) || cv.value < 2)) {
    const at = args.keywordNodes.get("cv") ?? node;
    ev.report(at, "error", "fit", `Line ${ev.line(at)}: cv is the number of folds, a whole number of 2 or more written without a decimal point; scikit-learn raises ${cv.float ? "a TypeError" : "a ValueError"} for ${fingerprint(cv)}.`);
    return { kind: "grid", estimator: null, paramGrid: new Map(), cv: 5 };
  }
  const paramGrid = new Map<string, Value[]>();
  if (grid?.kind === "dict") {
    ev.paramGrids.add(grid);
    for (const [key, values] of grid.entries) paramGrid.set(key, values.kind === "list" || values.kind === "tuple" ? values.items : [values]);
  }
  return { kind: "grid", estimator: estimator?.kind === "classifier" ? estimator : null, paramGrid, cv: cv?.kind === "number" ? cv.value : 5 };
}

/** `grid.fit(...)`: every combination built, compiled and recorded as the training run Keras 3 would make. */
export function runGrid(ev: Interpreter, grid: Extract<Value, { kind: "grid" }>, node: SyntaxNode): void {
  const estimator = grid.estimator;
  if (!estimator?.build) {
    ev.report(node, "info", "outside-subset", `Line ${ev.line(node)}: the checker can only expand a grid search over a KerasClassifier built from one of your functions.`);
    return;
  }
  const keys = [...grid.paramGrid.keys()];
  let combinations: Map<string, Value>[] = [new Map()];
  for (const key of keys) {
    const options = grid.paramGrid.get(key) ?? [];
    combinations = combinations.flatMap((combination) => options.map((option) => new Map([...combination, [key, option]])));
    if (combinations.length > 200) {
      ev.report(node, "warning", "fit", `Line ${ev.line(node)}: this grid has more than 200 combinations; reduce the values to try.`);
      return;
    }
  }
  const runs: GridSearchInfo["runs"] = [];
  for (const combination of combinations) {
    const settings = new Map([...estimator.options, ...combination]);
    const buildArgs = noArguments();
    for (const param of estimator.build.params) {
      const value = settings.get(param.name) ?? settings.get(`model__${param.name}`);
      if (value !== undefined) {
        buildArgs.keyword.set(param.name, value);
        buildArgs.keywordNodes.set(param.name, node);
      }
    }
    const model = ev.callFunction(estimator.build, buildArgs, node);
    if (model.kind !== "model") continue;
    const optimizerSetting = settings.get("optimizer");
    const optimizerLookup = optimizerSetting === undefined ? undefined : optimizerSetting.kind === "optimizer" ? optimizerSetting.spec : lookupOptimizer(toPy(optimizerSetting));
    const optimizer = optimizerLookup === undefined ? model.compile?.optimizer : optimizerLookup !== null && "kind" in optimizerLookup ? (optimizerLookup.kind === "ok" ? optimizerLookup.spec : null) : optimizerLookup;
    const lossSetting = settings.get("loss");
    const lossLookup = lossSetting === undefined ? undefined : lookupLoss(toPy(lossSetting));
    const loss = lossLookup === undefined ? model.compile?.loss : lossLookup.kind === "ok" ? lossLookup.name : null;
    if (!optimizer || !loss) continue;
    const epochs = settings.get("epochs");
    const batchSize = settings.get("batch_size");
    const params: GridSearchInfo["runs"][number]["params"] = {};
    for (const [key, value] of combination) params[key] = value.kind === "number" || value.kind === "string" || value.kind === "bool" ? value.value : value.kind === "none" ? null : fingerprint(value);
    runs.push({
      params,
      model: model.spec,
      compile: { optimizer, loss, metrics: model.compile?.metrics ?? [] },
      fit: {
        batch_size: batchSize?.kind === "number" ? batchSize.value : KERAS_DEFAULTS.batchSize,
        epochs: epochs?.kind === "number" ? epochs.value : KERAS_DEFAULTS.epochs,
        validation: { kind: "none" },
        shuffle: true,
      },
    });
  }
  ev.grids.push({ cv: grid.cv, runs, range: nodeRange(ev.source, node) });
  // What the runs do is what counts: 'RMSProp' and 'RMSprop' name one optimizer for Keras 3.
  ev.record(`grid ${grid.cv}:${JSON.stringify(runs.map((run) => ({ keys: Object.keys(run.params), model: run.model, compile: run.compile, fit: run.fit })))}`);
}
