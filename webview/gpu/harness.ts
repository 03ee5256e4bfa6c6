/**
 * A page entry for the GPU benchmark and the numerics test, which load the trainer into headless
 * Chromium without VS Code: it exposes the backend start and the trainer on `window.dlGpu`. Not
 * part of the extension's bundles (esbuild.mjs builds each folder's main.ts only).
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { GpuTrainingSession } from "../../src/training/gpuTrainer";
import { startGpuBackend } from "./backend";

const dlGpu = { tf, startGpuBackend, GpuTrainingSession };
export type GpuHarness = typeof dlGpu;
(window as unknown as { dlGpu: GpuHarness }).dlGpu = dlGpu;
