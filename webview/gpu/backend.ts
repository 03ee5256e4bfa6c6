/**
 * Starts TensorFlow.js's webgpu or webgl backend in this page and names the GPU it runs on. A
 * WebGL that can render only to 16-bit float textures is refused: tfjs would train on it silently
 * in half precision, and the model would no longer be the one the other backends train.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-webgl";
import "@tensorflow/tfjs-backend-webgpu";
import type { GpuBackendName, GpuBackendStart } from "../../src/protocol/gpuWebview";

/** The part of WebGPU's adapter this page reads (TypeScript's DOM library has no WebGPU yet). */
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}
interface GpuNavigator {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: GpuAdapterInfo } | null> };
}

async function webgpuDeviceName(): Promise<string> {
  const adapter = await (navigator as GpuNavigator).gpu?.requestAdapter({ powerPreference: "high-performance" });
  const info = adapter?.info;
  if (!info) return "unknown WebGPU adapter";
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((part): part is string => !!part);
  return parts.length > 0 ? [...new Set(parts)].join(" ") : "unknown WebGPU adapter";
}

/** WebGL's UNMASKED_RENDERER string, read from a context of its own (tfjs's is private). */
function webglDeviceName(): string {
  const gl = document.createElement("canvas").getContext("webgl2");
  if (!gl) return "unknown WebGL renderer";
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  const name = debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return typeof name === "string" && name !== "" ? name : "unknown WebGL renderer";
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Makes `backend` the active tfjs backend, or says in plain words why it cannot be. */
export async function startGpuBackend(backend: GpuBackendName): Promise<GpuBackendStart> {
  try {
    if (backend === "webgpu" && !(navigator as GpuNavigator).gpu) return { backend, loaded: false, reason: "this editor's browser has no WebGPU" };
    if (!(await tf.setBackend(backend))) return { backend, loaded: false, reason: backend === "webgl" ? "WebGL 2 could not start in this editor" : "no WebGPU adapter could be started" };
    if (backend === "webgl") {
      if (tf.env().getNumber("WEBGL_VERSION") < 2) return { backend, loaded: false, reason: "only WebGL 1 is available" };
      // flags_webgl.ts: false where the GPU cannot render to 32-bit float textures.
      if (!tf.env().getBool("WEBGL_RENDER_FLOAT32_ENABLED")) {
        return { backend, loaded: false, reason: "this GPU's WebGL offers only 16-bit float textures, too coarse to train the same model as the other backends" };
      }
      return { backend, loaded: true, device: webglDeviceName() };
    }
    return { backend, loaded: true, device: await webgpuDeviceName() };
  } catch (error) {
    return { backend, loaded: false, reason: message(error) };
  }
}
