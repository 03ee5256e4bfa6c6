import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { lessonStats } from "../../src/lessons";
import { episodeTrainingMinutes, LESSON_TRAININGS, trainingTimes, type LessonTimings } from "../../src/lessons/clock";
import type { Lesson } from "../../src/protocol/lesson";

/* The lesson's clock against the measured table it cites (timings.json, written by
 * `npm run bench:lesson-clock`): the training minutes each episode states, and the teaching time
 * its text takes to read. */

const LESSON = path.join(__dirname, "..", "..", "lessons", "intro-image-classification-cnn");
/** A stated time may be this far from the measured one. */
const TOLERANCE = 0.25;
/** Words of prose an instructor gets through in a minute of teaching, reading and explaining. */
const TEACHING_WORDS_PER_MINUTE = 150;

let timings: LessonTimings;
let lesson: Lesson;
let words: Map<string, number>;

before(async () => {
  timings = JSON.parse(await readFile(path.join(LESSON, "timings.json"), "utf8")) as LessonTimings;
  const stats = await lessonStats(LESSON);
  lesson = stats.lesson;
  words = new Map(stats.episodes.map((e) => [e.id, e.words]));
});

const within = (stated: number, measured: number): boolean => Math.abs(stated - measured) <= TOLERANCE * measured;

describe("the lesson's clock", () => {
  it("has a measurement for every model the lesson trains, on both datasets", () => {
    for (const id of new Set(LESSON_TRAININGS.flatMap((t) => t.models))) {
      assert.ok(timings.models[id]?.cifar10 && timings.models[id]?.["fashion-mnist"], id);
    }
  });

  it("states in each episode's front matter the training minutes the table gives, within 25 %", () => {
    const times = trainingTimes(timings, "cifar10");
    for (const episode of lesson.episodes) {
      const measured = episodeTrainingMinutes(times, episode.id);
      if (measured === 0) {
        assert.equal(episode.trainingMinutes, undefined, `${episode.id} trains nothing but states training minutes`);
        continue;
      }
      assert.ok(episode.trainingMinutes !== undefined, `${episode.id} trains for ${measured.toFixed(1)} minutes but states no \`training\` minutes`);
      assert.ok(within(episode.trainingMinutes, measured), `${episode.id} states ${episode.trainingMinutes} training minutes; the table gives ${measured.toFixed(2)}`);
    }
  });

  it("quotes every training's time in its own episode through the table", async () => {
    for (const training of LESSON_TRAININGS) {
      const source = await readFile(path.join(LESSON, "episodes", `${training.episode}.md`), "utf8");
      assert.match(source, new RegExp(`\\{\\{minutes ${training.id}( full| workshop)?( \\|[^}]*)?\\}\\}`), `${training.episode} never states how long ${training.id} takes`);
    }
  });

  it("gives each episode teaching minutes that fit the reading its text takes, within 25 %", () => {
    for (const episode of lesson.episodes) {
      const reading = words.get(episode.id)! / TEACHING_WORDS_PER_MINUTE;
      assert.ok(within(episode.teachingMinutes, reading), `${episode.id}: ${episode.teachingMinutes} teaching minutes for ${words.get(episode.id)} words (${reading.toFixed(0)} minutes)`);
    }
  });

  it("times a workshop subset below the full data, and the full data in proportion to its images", () => {
    for (const dataset of ["cifar10", "fashion-mnist"] as const) {
      for (const time of trainingTimes(timings, dataset)) assert.ok(time.workshopSeconds < time.fullSeconds, `${dataset} ${time.id}`);
    }
    const intro = (images: number) => trainingTimes(timings, "cifar10", images).find((t) => t.id === "fit-model")!;
    const once = timings.models["intro-relu"]!.cifar10.cpuOnceSeconds;
    assert.ok(Math.abs((intro(50_000).fullSeconds - once) / (intro(25_000).fullSeconds - once) - 2) < 1e-9);
  });
});
