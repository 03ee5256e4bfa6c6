/**
 * The checker corpus (test/fixtures/checker-corpus): learner answers to every code challenge of the
 * shipped lesson, with the verdict Keras 3 gives each of them. Read by checker-corpus.test.ts and
 * checker-reveal.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BLANK, findBlanks, parsePython } from "../../src/python";
import { parseEpisode } from "../../src/lessons";
import type { Challenge, CheckSpec } from "../../src/protocol/lesson";
import type { CheckOutcome } from "../../src/protocol/outcome";

const LESSON = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn");
const CORPUS = join(import.meta.dirname, "../fixtures/checker-corpus");

export interface Replacement {
  from: string;
  to: string;
}

export interface CorpusRow {
  id: string;
  /** Answers by blank id; the other blanks get the challenge's valid answer. */
  answers?: Record<string, string>;
  /** Changes to the filled file, each `from` found exactly once (reordered keywords, removed arguments...). */
  edits?: Replacement[];
  /** Expected status by blank id; a blank not named here is expected "correct". */
  blanks: Record<string, CheckOutcome>;
  /** Expected status of the whole file. */
  status?: CheckOutcome;
  /** "wrong": a whole-model, compile or fit check must fail (the blanks themselves may all be right). */
  model?: "wrong";
  /** What the message about the row's problem must mention (case-insensitive). */
  topic?: string;
  /** The 1-based line the problem must be reported on. */
  line?: number;
  /** Text an info diagnostic must mention (something the checker does not follow, like torch). */
  info?: string;
  /** Why Keras 3 gives this verdict: the Keras source file or the task's rule. */
  source: string;
  /**
   * Where the checker is known not to agree with Keras 3 yet: what it does instead. The row still
   * runs and is reported as a to-do (it does not fail the suite), so the gap stays visible.
   */
  knownGap?: string;
}

export interface CorpusFile {
  challenge: string;
  /** Lines of the starter that Keras 3 rejects outside the blanks, as Keras 3 accepts them. */
  starterFixes?: Replacement[];
  /** Answers to use instead of the spec's `expect` where Keras 3 rejects the spec's answer. */
  valid?: Record<string, string>;
  /**
   * Blanks whose answers in this file are the whole argument as the learner leaves it (`['accuracy']`,
   * `'accuracy'`): where the starter already wraps such a blank in a list (`metrics=[_____]`), the
   * answer takes the list's place, so one row means the same code with either starter.
   */
  wholeArgument?: string[];
  rows: CorpusRow[];
}

export interface CorpusCase {
  challenge: Challenge;
  spec: CheckSpec;
  file: CorpusFile;
  row: CorpusRow;
  starter: string;
  learner: string;
}

function shippedChallenges(): Map<string, Challenge> {
  const folder = join(LESSON, "episodes");
  const challenges = readdirSync(folder)
    .filter((file) => file.endsWith(".md"))
    .sort()
    .flatMap((file, index) => parseEpisode(readFileSync(join(folder, file), "utf8"), file, file.slice(0, -3), index).episode.challenges)
    .filter((challenge) => challenge.check && challenge.starterFile);
  return new Map(challenges.map((challenge) => [challenge.id, challenge]));
}

function replaceOnce(text: string, edit: Replacement, what: string): string {
  const at = text.indexOf(edit.from);
  if (at < 0 || text.indexOf(edit.from, at + 1) >= 0) throw new Error(`${what}: ${JSON.stringify(edit.from)} must occur exactly once`);
  return text.slice(0, at) + edit.to + text.slice(at + edit.from.length);
}

/** The starter as Keras 3 accepts it (a fix already in the lesson is skipped). */
export function fixedStarter(file: CorpusFile, starter: string): string {
  let text = starter;
  for (const fix of file.starterFixes ?? []) if (text.includes(fix.from)) text = replaceOnce(text, fix, `${file.challenge} starter fix`);
  return text;
}

/** The learner's file of a row: the starter's blanks filled (indented like the blank), then the edits. */
export function learnerFile(file: CorpusFile, spec: CheckSpec, starter: string, row: CorpusRow): string {
  const blanks = findBlanks(parsePython(starter));
  if (blanks.length !== spec.blanks.length) throw new Error(`${file.challenge}: ${blanks.length} blanks in the starter, ${spec.blanks.length} in the spec`);
  let text = starter;
  for (let index = blanks.length - 1; index >= 0; index--) {
    const blank = blanks[index]!;
    const blankSpec = spec.blanks[index]!;
    const answer = row.answers?.[blankSpec.id] ?? file.valid?.[blankSpec.id] ?? blankSpec.expect;
    const wrapped = file.wholeArgument?.includes(blankSpec.id) === true && answer !== BLANK && text[blank.from - 1] === "[" && text[blank.to] === "]";
    const from = wrapped ? blank.from - 1 : blank.from;
    const to = wrapped ? blank.to + 1 : blank.to;
    const column = from - (text.lastIndexOf("\n", from - 1) + 1);
    text = text.slice(0, from) + answer.split("\n").join(`\n${" ".repeat(column)}`) + text.slice(to);
  }
  for (const edit of row.edits ?? []) text = replaceOnce(text, edit, `${file.challenge}:${row.id}`);
  return text;
}

export function loadCorpus(): CorpusCase[] {
  const challenges = shippedChallenges();
  const cases: CorpusCase[] = [];
  for (const name of readdirSync(CORPUS).filter((entry) => entry.endsWith(".json")).sort()) {
    const file = JSON.parse(readFileSync(join(CORPUS, name), "utf8")) as CorpusFile;
    const challenge = challenges.get(file.challenge);
    if (!challenge?.check || !challenge.starterFile) throw new Error(`${name}: no code challenge ${file.challenge} in the lesson`);
    const starter = fixedStarter(file, readFileSync(join(LESSON, challenge.starterFile), "utf8"));
    for (const row of file.rows) {
      cases.push({ challenge, spec: challenge.check, file, row, starter, learner: learnerFile(file, challenge.check, starter, row) });
    }
  }
  return cases;
}

/** The ids of the challenges that have code to fill in. */
export function codeChallengeIds(): string[] {
  return [...shippedChallenges().keys()];
}
