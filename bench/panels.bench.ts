/**
 * `npm run bench:panels`: how long parsing the largest panel messages with their schemas takes.
 *
 * 1. On the extension host: the curves state a serializer parses after a reload (the heaviest
 *    thing the host parses from a webview: 10 runs of 50 epochs with 400 within-epoch points
 *    each), and a webview command (tiny; for scale). Goal: far under the 50 ms the host may take.
 * 2. In a webview, before drawing: a confusion cell's page of 48 CIFAR-10-sized images, a
 *    predictions snapshot of 100 test images, and the training monitor's snapshot, which
 *    arrives with every batch.
 *
 * Each is parsed after crossing JSON (as VS Code sends it), median and p95 of RUNS parses after
 * a warm-up; the CPU time of the whole series is printed beside the wall time, since a shared
 * machine gives time to other programs. Pixel values are random: parsing reads the base64's
 * length, not the pixels.
 */
import { performance } from "node:perf_hooks";
import * as v from "valibot";
import { ConfusionProtocol, CurvesProtocol, EpisodeProtocol, MonitorProtocol, PredictionsProtocol, type CurveRun } from "../src/protocol/panels";
import { encodePanelImage } from "../src/extension/panels/images";

const RUNS = 200;

function randomImage(width: number, height: number, channels: 1 | 3): ReturnType<typeof encodePanelImage> {
  const pixels = new Uint8Array(width * height * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(Math.random() * 256);
  return encodePanelImage(width, height, channels, pixels);
}

function measure(name: string, schema: v.GenericSchema, message: unknown): void {
  const json = JSON.stringify(message);
  const received = JSON.parse(json) as unknown;
  for (let i = 0; i < 20; i++) v.parse(schema, received);
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    v.parse(schema, received);
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  const cpuPerParse = (cpu.user + cpu.system) / 1000 / RUNS;
  console.log(`${name.padEnd(52)} ${(json.length / 1024).toFixed(0).padStart(6)} KB   p50 ${at(0.5).toFixed(3)} ms   p95 ${at(0.95).toFixed(3)} ms   cpu ${cpuPerParse.toFixed(3)} ms/parse`);
}

const metrics = (epoch: number): Record<string, number> => ({ loss: 2 / epoch, accuracy: 1 - 1 / (epoch + 1), val_loss: 2.1 / epoch, val_accuracy: 1 - 1.1 / (epoch + 1) });
const runs: CurveRun[] = Array.from({ length: 10 }, (_, r) => ({
  runId: `2026-12-01T10-00-0${r}`,
  label: `Dropout rate 0.${r}`,
  status: "completed",
  epochs: 50,
  history: Array.from({ length: 50 }, (_, e) => ({ epoch: e + 1, metrics: metrics(e + 1), imagesPerSecond: 1500, seconds: 30 })),
  withinEpoch: Array.from({ length: 400 }, (_, p) => ({ x: p / 8, metrics: { loss: 2 / (1 + p / 8), accuracy: 0.5 } })),
  hidden: false,
}));

console.log(`Parse times over ${RUNS} parses each (after JSON, as VS Code delivers):`);
console.log("Extension host:");
measure("curves state restored after a reload (10 runs)", CurvesProtocol.state, { runs });
measure("episode command", EpisodeProtocol.toHost, { type: "challenge", action: "check", challengeId: "conv2d-layer" });

console.log("Webview:");
const classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
measure("confusion cell page (48 images 32×32×3)", ConfusionProtocol.toWebview, {
  type: "cellImagesResponse",
  requestId: 1,
  trueLabel: 3,
  predictedLabel: 5,
  images: Array.from({ length: 48 }, () => randomImage(32, 32, 3)),
  probabilities: Array.from({ length: 48 }, () => 0.6),
  total: 120,
  offset: 0,
  pageSize: 48,
});
measure("predictions snapshot (100 images 32×32×3)", PredictionsProtocol.toWebview, {
  type: "didChangePredictions",
  state: {
    runLabel: "Intro",
    classNames,
    filter: "all",
    items: Array.from({ length: 100 }, (_, index) => ({ index, image: randomImage(32, 32, 3), trueLabel: index % 10, top: [{ label: 1, probability: 0.7 }, { label: 2, probability: 0.2 }, { label: 3, probability: 0.1 }] })),
  },
});
const backend = { active: "wasm", attempts: [{ backend: "tensorflow", loaded: false, reason: "not installed" }, { backend: "wasm", loaded: true, detail: "1 thread" }] };
measure("monitor snapshot (every batch; 20 past runs)", MonitorProtocol.toWebview, {
  type: "didChangeMonitor",
  current: { kind: "training", runId: "r", label: "Intro", backend, epoch: 3, epochs: 10, batch: 120, batchesPerEpoch: 1407, metrics: { loss: 0.9, accuracy: 0.7 }, lastEpoch: { epoch: 2, metrics: metrics(2), imagesPerSecond: 1500, seconds: 30 }, imagesPerSecond: 1500, etaSeconds: 200 },
  pastRuns: Array.from({ length: 20 }, (_, i) => ({ runId: `run-${i}`, label: `Run ${i}`, startedAt: "2026-12-01T10:00:00.000Z", epochs: 10, finalValAccuracy: 0.7, status: "completed" })),
});
