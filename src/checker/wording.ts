/**
 * What the learner reads about a blank: every sentence of the blank verdicts is made here, from
 * what the learner's value is and what the task needs. None of them states the expected answer;
 * only Reveal writes it.
 */

/**
 * "Blank 2": how a message names a blank. Not by its id: a lesson may name a blank after its
 * answer (`activations`), and the message must not say the answer.
 */
export function blankName(index: number): string {
  return `Blank ${index + 1}`;
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
