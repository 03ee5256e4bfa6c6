import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { formatTrainingNumber } from "../../src/protocol/training";
import { introModel, lessonCompile, lessonFit } from "../../src/training/models";
import { claimRunDirectory, listRuns, loadRun, recoverInterruptedRun, startRun, writeStatus } from "../../src/training/runs";

/** A pid far above any kernel's pid_max: no process has it. */
const DEAD_PID = 99_999_999;

async function scratch(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-runs-"));
}

async function fakeRun(directory: string, epochsDone: number): Promise<string> {
  const claimed = await startRun(directory, { model: introModel([28, 28, 1]), compile: lessonCompile(), fit: lessonFit(10), dataset: { name: "fashion-mnist" }, backend: "wasm", createdAt: new Date().toISOString() }, 10);
  const epoch = (n: number) => ({ epoch: n, metrics: { loss: 1 / n }, imagesPerSecond: 100, seconds: 1 });
  await fs.writeFile(path.join(claimed, "history.json"), JSON.stringify(Array.from({ length: epochsDone }, (_, i) => epoch(i + 1))));
  await writeStatus(claimed, "running", { epochsDone, epochs: 10, stage: "training" });
  return claimed;
}

async function ownedBy(directory: string, pid: number): Promise<void> {
  const file = path.join(directory, "status.json");
  const status = JSON.parse(await fs.readFile(file, "utf8")) as { pid: number };
  await fs.writeFile(file, JSON.stringify({ ...status, pid }));
}

test("folders claimed at the same moment for the same name are different", async () => {
  const parent = await scratch();
  const wanted = path.join(parent, "20260101-120000-intro");
  const claimed = await Promise.all([claimRunDirectory(wanted), claimRunDirectory(wanted), claimRunDirectory(wanted)]);
  assert.deepEqual([...claimed].sort(), [wanted, `${wanted}-2`, `${wanted}-3`]);
});

test("a 'running' run whose process is gone is listed as interrupted after its last saved epoch, and marked so on disk", async () => {
  const parent = await scratch();
  const dead = await fakeRun(path.join(parent, "dead"), 3);
  await ownedBy(dead, DEAD_PID);
  await fakeRun(path.join(parent, "live"), 2);

  const byId = new Map((await listRuns(parent)).map((run) => [run.runId, run]));
  assert.equal(byId.get("dead")?.status.status, "interrupted");
  assert.match(byId.get("dead")?.status.message ?? "", /^Interrupted after epoch 3 of 10: the training process stopped\. The 3 finished epoch\(s\) and the weights saved after epoch 3 are kept\./);
  assert.equal(byId.get("live")?.status.status, "running", "this process is alive");
  assert.equal(JSON.parse(await fs.readFile(path.join(dead, "status.json"), "utf8")).status, "interrupted");
});

test("the host recovers an interrupted run with its epochs as a stopped run, and nothing for a run with none", async () => {
  const parent = await scratch();
  const some = await fakeRun(path.join(parent, "some"), 2);
  await ownedBy(some, DEAD_PID);
  const recovered = await recoverInterruptedRun(some);
  assert.equal(recovered?.status, "cancelled");
  assert.equal(recovered?.history.length, 2);
  assert.equal((await loadRun(some)).status.status, "interrupted");
  const none = await fakeRun(path.join(parent, "none"), 0);
  await ownedBy(none, DEAD_PID);
  assert.equal(await recoverInterruptedRun(none), undefined);
  assert.match((await loadRun(none)).status.message ?? "", /^Interrupted before its first epoch of 10 ended/);
});

test("training numbers print as Keras prints them, nan included (NaN arrives as null through JSON)", () => {
  assert.equal(formatTrainingNumber(0.123456), "0.1235");
  assert.equal(formatTrainingNumber(Number.NaN), "nan");
  assert.equal(formatTrainingNumber(JSON.parse(JSON.stringify({ loss: Number.NaN })).loss), "nan");
  assert.equal(formatTrainingNumber(Number.POSITIVE_INFINITY), "inf");
  assert.equal(formatTrainingNumber(undefined), "–");
  assert.equal(formatTrainingNumber(1.23456, 3), "1.235");
});
