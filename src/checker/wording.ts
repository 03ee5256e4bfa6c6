/**
 * What the learner reads from the checker: every sentence of the blank verdicts, the model checks
 * and the evaluator's diagnostics is made here (what Keras 3 itself refuses is worded beside its
 * rule in src/keras/, and the syntax errors in src/python/). Blank messages are made from what
 * the learner's value is and what the task needs; none of them states the expected answer: only
 * Reveal writes it.
 */

/**
 * "Blank 2": how a message names a blank. Not by its id: a lesson may name a blank after its
 * answer (`activations`), and the message must not say the answer.
 */
export function blankName(index: number): string {
  return `Blank ${index + 1}`;
}

/** "Line N: " and a message from the Keras 3 registry, for a diagnostic on that line. */
export function atLine(line: number, message: string): string {
  return `Line ${line}: ${message}`;
}

/** Puts "Line N: " in front of a message, unless it already starts by naming its line. */
export function onLine(line: number, message: string): string {
  return /^Line \d+\b/.test(message) ? message : `Line ${line}: ${message}`;
}

export function notFilledIn(name: string, line: number): string {
  return `${name} on line ${line} is not filled in yet.`;
}

export function isCorrect(name: string): string {
  return `${name} is correct.`;
}

export function hiddenBySyntaxError(name: string, errorLine: number): string {
  return `${name} cannot be checked until the code up to line ${errorLine} is valid Python again; fix the error shown on line ${errorLine} first.`;
}

export function cannotBeFound(name: string): string {
  return `${name} cannot be found: the code around it was changed. Restore that line from the starter file and fill in only the blank.`;
}

export function notValidPython(name: string, line: number): string {
  return `Line ${line}: ${name} is not valid Python yet; check for a missing bracket, comma, quote or value.`;
}

/** The argument that held the blank is no longer in the call, by keyword or by position. */
export function argumentRemoved(name: string, line: number, argument: string | number, purpose: string | undefined): string {
  const what = purpose ? ` (${purpose})` : "";
  if (typeof argument === "number") return `Line ${line}: the call has no argument number ${argument} any more${what}; that is where ${name} was. Put it back and fill it in.`;
  return `Line ${line}: the call no longer has its \`${argument}\` argument${what}; that is where ${name} was. Put \`${argument}=\` back and fill in its value.`;
}

export function doesNotDoTheTask(name: string, line: number, purpose: string | undefined): string {
  const explained = purpose ? ` This blank is ${purpose}.` : "";
  return `Line ${line}: ${name} does not do what the task asks.${explained} Ask for a hint if you are stuck.`;
}

export function missingValidation(line: number): string {
  return `Line ${line}: without validation_data the training cannot show how the model does on images it does not learn from. Pass the validation images and labels as a pair.`;
}

export function otherEpochs(line: number, epochs: number): string {
  return `Line ${line}: training for ${epochs} epoch${epochs === 1 ? "" : "s"} is not what the task asks for. Reread the task for how many passes over the data to make.`;
}

export function otherBatchSize(line: number, batchSize: number): string {
  return `Line ${line}: a batch size of ${batchSize} is not what the task asks for. Reread the task for how many images go into each step.`;
}

/** The blank's answer took away a name that a later line still uses. */
export function nameLost(line: number, usedAt: number, undefinedMessage: string): string {
  return `Line ${line}: with this answer, line ${usedAt} fails: ${undefinedMessage.replace(/^Line \d+: /, "")}`;
}

export function otherOptimizer(line: number, optimizer: string): string {
  return `Line ${line}: the optimizer here is ${optimizer}, which is not the one the task asks for. Reread the task for which optimizer to use.`;
}

export function otherLearningRate(line: number, learningRate: number, larger: boolean): string {
  return `Line ${line}: a learning_rate of ${learningRate} is ${larger ? "larger" : "smaller"} than the one the task trains with. Reread the task for how the optimizer is made.`;
}

export function otherLoss(line: number, loss: string): string {
  return `Line ${line}: the loss here is ${loss}, which does not fit how the labels are encoded. Think about what prepare_dataset did to the labels.`;
}

export function otherMetrics(line: number, metrics: readonly string[]): string {
  return `Line ${line}: the metrics here are [${metrics.join(", ")}], which is not what the task reports after each epoch.`;
}

/** No model came out of the code the task checks, because of a problem the checker found first. */
export function noModelBecause(where: string, problem: string): string {
  return `No model is built by ${where}: ${problem.replace(/^Line \d+: /, (prefix) => prefix.toLowerCase())}`;
}

export function otherInput(line: number, className: string, learnerText: string): string {
  return `Line ${line}: this ${className} layer is applied to \`${learnerText}\`, which is not the tensor the task chains it to. Each layer takes the output of the layer before it; look at which variable the previous line assigned.`;
}

export function softmaxInHiddenLayer(line: number): string {
  return `Line ${line}: softmax turns a layer's outputs into class probabilities that add up to 1, so it belongs on the output layer only. A hidden layer needs an activation that keeps its features.`;
}

export function outputWithoutProbabilities(line: number, activation: string): string {
  return `Line ${line}: the output layer must turn its outputs into one probability per class; '${activation}' does not do that. Think about which activation gives probabilities that add up to 1.`;
}

export function otherActivation(line: number, activation: string): string {
  return `Line ${line}: the activation '${activation}' is not the one the task asks for here. Reread the comment above the line.`;
}

export function outputUnits(line: number, units: number): string {
  return `Line ${line}: the output layer has ${units} units, but it needs exactly one unit per class in the dataset. Count the class names.`;
}

export function otherPoolSize(line: number, poolSize: readonly number[], bigger: boolean, outputShape: string): string {
  return `Line ${line}: a ${poolSize.join("x")} pooling window is ${bigger ? "larger" : "smaller"} than the one the task asks for; it changes the output to ${outputShape}. Reread the comment above the line.`;
}

export function otherLayerClass(line: number, className: string): string {
  return `Line ${line}: this builds a ${className} layer, which is not the kind of layer the task asks for here.`;
}

export function otherLayerArgument(line: number, argument: string, className: string, outputShape: string, params: number): string {
  return `Line ${line}: \`${argument}\` of this ${className} layer is not what the task describes; it gives the output ${outputShape} with ${params} parameters. Reread the comment above the line.`;
}

export function noModel(where: string, fromFunction: boolean): string {
  return `No model is built by ${where}; make sure it calls keras.Model(inputs=..., outputs=...)${fromFunction ? " and returns it" : ""}.`;
}

export function otherLayerShape(position: number, name: string, shape: string): string {
  return `The output of layer ${position} (${name}) has shape ${shape}, which differs from the task's model. Check that layer's arguments.`;
}

export function otherParameterCount(totalParams: number): string {
  return `The model has ${totalParams.toLocaleString("en-US")} parameters, a different number from the task's model. Check the filters and units of each layer.`;
}

export function modelMatches(layers: number, totalParams: number): string {
  return `The model matches the task: ${layers} layers, ${totalParams.toLocaleString("en-US")} parameters.`;
}

export function notCompiled(): string {
  return "The model is not compiled yet; call compile(optimizer=..., loss=..., metrics=...) on it.";
}

/** The model's layer at `position` (from 1) is of another class than the task's layer there. */
export function otherLayerInPlace(position: number, className: string): string {
  return `Layer ${position} of the model is a ${className}, which is not the layer the task has there. Compare the order of your layers with the task.`;
}

export function modelStopsEarly(layers: number): string {
  return `The model stops after ${layers} layers; the task has more. Check that every layer is applied and that outputs= is the last one.`;
}

export function compileOtherOptimizer(optimizer: string): string {
  return `The optimizer '${optimizer}' is not the one the task asks for.`;
}

export function compileOtherLoss(loss: string): string {
  return `The loss '${loss}' is not the one the task asks for; think about how the labels are encoded.`;
}

export function compileOtherMetrics(): string {
  return "The metrics are not the ones the task asks for.";
}

export function compileMatches(): string {
  return "The compile settings match the task.";
}

export function notTrained(): string {
  return "The model is not trained yet; call fit(...) on the compiled model.";
}

export function fitWithoutValidation(): string {
  return "fit has no validation_data, so training cannot show how the model does on images it does not learn from.";
}

export function fitOtherEpochs(epochs: number): string {
  return `Training runs for ${epochs} epoch${epochs === 1 ? "" : "s"}, which is not what the task asks for.`;
}

export function fitOtherBatchSize(batchSize: number): string {
  return `The batch size ${batchSize} is not what the task asks for.`;
}

export function fitMatches(): string {
  return "The training settings match the task.";
}

/** Only a bug in the checker gets here; the learner still gets an answer instead of an exception. */
export function checkerFailed(reason: string): string {
  return `The checker could not check this blank (${reason}).`;
}

/** The blank holds code the checker does not follow, and the task's answer is code it does. */
export function unfollowedInBlank(line: number, unfollowed: string, purpose: string | undefined): string {
  const explained = purpose ? ` This blank is ${purpose}, which the lesson's own layers and functions do.` : "";
  return `Line ${line}: ${unfollowed.replace(/^Line \d+: /, "")}${explained}`;
}

/** `fit` gets images of another shape than the model's input. */
export function imagesDoNotFit(line: number, images: string, expected: string): string {
  return `Line ${line}: the images have shape ${images} but the model expects ${expected}.`;
}

/** Class numbers where categorical cross-entropy needs one-hot labels. */
export function labelsAreClassNumbers(line: number, labels: string): string {
  return `Line ${line}: the labels ${labels} are class numbers, but categorical cross-entropy needs one-hot labels; convert them with keras.utils.to_categorical.`;
}

/** One-hot labels with another number of columns than the output layer has units. */
export function labelColumns(line: number, columns: number, units: number): string {
  return `Line ${line}: the labels have ${columns} columns but the model's output has ${units} units; give the output layer one unit per class.`;
}

// ---- What the evaluator says about the file (its diagnostics) -------------------------------

/** Statements and expressions the lessons never need, by syntax node: they are skipped with an info diagnostic. */
export const OUTSIDE_SUBSET: Readonly<Record<string, string>> = {
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

/** How a skipped statement not in OUTSIDE_SUBSET is named. */
export const ANY_STATEMENT = "This statement";

export function statementSkipped(what: string, line: number): string {
  return `${what} is outside what the lessons check, so the checker skips line ${line}.`;
}

export function expressionUnknown(what: string): string {
  return `${what} is outside what the lessons check; the checker treats its value as unknown.`;
}

/** An import of a library the checker neither follows nor can ignore (`torch`). */
export function libraryNotFollowed(line: number, library: string): string {
  return `Line ${line}: the checker does not follow ${library}, so nothing done with it is checked; the rest of the file still is.`;
}

/** A call into such a library. */
export function callNotFollowed(line: number, path: string): string {
  return `Line ${line}: ${path} is not followed by the checker; its result is unknown and this line is not checked.`;
}

export function unpacksOtherCount(line: number, values: number, names: number): string {
  return `Line ${line} unpacks ${values} values into ${names} names; give one name per value.`;
}

/** A name that a statement the checker skipped may have bound. */
export function perhapsUndefinedName(name: string, line: number): string {
  return `\`${name}\` is not defined in this file before line ${line}; the checker treats its value as unknown.`;
}

/** Python's NameError. */
export function undefinedName(line: number, name: string): string {
  return `Line ${line}: \`${name}\` is not defined, so Python stops here with a NameError. Check its spelling, or assign it before this line.`;
}

/** Python's AttributeError on None (a function that returns nothing). */
export function attributeOfNone(line: number, attribute: string): string {
  return `Line ${line}: the value before .${attribute} is None, which has no \`${attribute}\`; Python stops with an AttributeError. Check what was assigned to it (a function without a return gives None).`;
}

/** Python's TypeError for arithmetic between a string and a number. */
export function stringInArithmetic(line: number, text: string, operator: string): string {
  return `Line ${line}: '${text}' is a string, in quotes, so Python cannot compute ${operator} with it and a number (TypeError). Write the number without quotes.`;
}

export function divisionByZero(line: number): string {
  return `Line ${line} divides by zero.`;
}

export function callsTooDeep(line: number): string {
  return `Line ${line} calls functions too deeply for the checker; it stops following the calls here.`;
}

/** A layer Keras 3 has that the lessons do not use. */
export function layerOutsideSubset(layer: string, line: number): string {
  return `keras.layers.${layer} is outside what the lessons check; line ${line} is skipped.`;
}

/** A name keras.layers does not have (Python's AttributeError); `otherCase` when it has it with other capitals. */
export function noSuchLayer(line: number, layer: string, otherCase: boolean): string {
  return `Line ${line}: keras.layers has no ${layer}, so Python stops here with an AttributeError.${otherCase ? " Layer names are written exactly as Keras spells its classes, capitals included." : " Check the layer's name in the Keras documentation."}`;
}

/** Arguments of a loss or metric class that the checker and training do not use. */
export function argumentsLeftOut(line: number, path: string): string {
  return `Line ${line}: the checker and training here leave out the arguments of ${path}; they use Keras's defaults.`;
}

export function kerasCallOutsideSubset(path: string): string {
  return `${path} is outside what the lessons check; the checker treats its result as unknown.`;
}

export function checkTooLong(): string {
  return "This file takes the checker too long to follow, so only its first part was checked.";
}

/** Only a bug in the checker gets here. */
export function fileCheckFailed(reason: string): string {
  return `The checker could not follow this file (${reason}); please report it.`;
}

export function sequentialWithoutInput(line: number): string {
  return `Line ${line}: the checker follows a keras.Sequential model that starts with keras.Input(shape=...); without one Keras 3 builds the model only when it first sees data.`;
}

/** Keras 3's ValueError for something in a Sequential's list that is not a layer. */
export function sequentialTakesLayers(line: number, entry: string): string {
  return `Line ${line}: keras.Sequential takes layers, and \`${entry}\` is not one; Keras 3 raises a ValueError.`;
}

export function layerTakesOneTensor(line: number, className: string): string {
  return `Line ${line}: a ${className} layer is applied to one tensor, like keras.layers.${className}(...)(x).`;
}

export function layerAppliedToNonTensor(line: number, className: string, input: string): string {
  return `Line ${line}: ${className} is applied to \`${input}\`, which is not a tensor; apply it to the output of keras.Input or of the previous layer.`;
}

export function modelNeedsInputsAndOutputs(line: number): string {
  return `Line ${line}: keras.Model needs inputs= (the keras.Input tensor) and outputs= (the last layer's output).`;
}

export function modelInputsNotATensor(line: number): string {
  return `Line ${line}: inputs= must be the tensor keras.Input returned.`;
}

export function modelOutputsNotATensor(line: number): string {
  return `Line ${line}: outputs= must be the tensor the last layer returned.`;
}

export function modelInputsFromALayer(line: number, className: string): string {
  return `Line ${line}: inputs= is the output of a ${className} layer; give the tensor that keras.Input returned.`;
}

export function modelOutputsNotFromInputs(line: number): string {
  return `Line ${line}: outputs= does not come from inputs=; check that each layer is applied to the previous layer's output, starting from the Input.`;
}

/** An optimizer class Keras 3 has that training here does not run. */
export function optimizerClassNotTrainable(line: number, className: string): string {
  return `Line ${line}: Keras 3 has keras.optimizers.${className}, but training in this extension runs only Adam, SGD and RMSprop.`;
}

/** The same, given by name in compile(optimizer='...'). */
export function optimizerNameNotTrainable(name: string): string {
  return `Keras 3 knows the optimizer '${name}', but training in this extension runs only Adam, SGD and RMSprop.`;
}

/** An optimizer class written with other capitals than Keras's (Python's AttributeError). */
export function optimizerClassMisspelled(line: number, className: string): string {
  return `Line ${line}: keras.optimizers has no ${className} in this spelling (class names are capitalised as Keras writes them); Python raises an AttributeError.`;
}

export function optimizerClassOutsideSubset(className: string): string {
  return `keras.optimizers.${className} is outside what the lessons check; use Adam, SGD or RMSprop.`;
}

export function fitBeforeCompile(line: number): string {
  return `Line ${line}: the model is trained before it is compiled; call compile(...) on it first.`;
}
