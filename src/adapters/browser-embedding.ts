// Loading an embedding model in a browser worker: ONNX Runtime's WASM files served by the app (never a CDN),
// model files from the app, a self-hosted URL or the hub, and the device chosen and explained: WebGPU on a
// hardware adapter, else WASM (threads when the page is cross-origin isolated); a WebGPU failure at load or
// at the first run falls back to WASM and says why.

import { env } from '@huggingface/transformers';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import { MODEL_REGISTRY, type ModelSpec } from '../core/embedding/model-registry.js';
import { toMnemoError } from '../core/errors.js';
import { FallbackEmbedder, type InfoEmbedder } from './fallback-embedder.js';
import { TransformersEmbedder } from './transformers-embedder.js';

export interface DeviceChoice {
  device: 'webgpu' | 'wasm';
  reason: string;
}

interface GpuAdapterLike {
  info?: { architecture?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** WebGPU on a hardware adapter; a software one (SwiftShader) is slower than WASM, so only when asked for. */
export async function chooseDevice(preference: 'auto' | 'wasm' | 'webgpu'): Promise<DeviceChoice> {
  if (preference === 'wasm') return { device: 'wasm', reason: 'WASM was asked for' };
  const choice = await probeWebGpu(preference);
  // Asked for WebGPU and not getting it: say both.
  if (preference === 'webgpu' && choice.device === 'wasm')
    return { device: 'wasm', reason: `WebGPU was asked for, but ${choice.reason}; using WASM` };
  return choice;
}

async function probeWebGpu(preference: 'auto' | 'webgpu'): Promise<DeviceChoice> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return { device: 'wasm', reason: 'this browser offers no WebGPU' };
  // requestAdapter may reject as well as resolve null: both mean no adapter.
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { device: 'wasm', reason: 'no WebGPU adapter is available' };
  const architecture = adapter.info?.architecture ?? '';
  const software =
    adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true || architecture === 'swiftshader';
  if (preference === 'webgpu')
    return {
      device: 'webgpu',
      reason: `WebGPU was asked for${software ? ` (a software adapter: ${architecture || 'fallback'})` : ''}`,
    };
  if (software)
    return { device: 'wasm', reason: `the WebGPU adapter is software (${architecture || 'fallback'}), slower than WASM` };
  return { device: 'webgpu', reason: `a hardware WebGPU adapter${architecture ? ` (${architecture})` : ''}` };
}

/** Loads the model on the chosen device, falling back to WASM when WebGPU fails to load or to run. */
export async function loadBrowserEmbedder(
  options: EmbeddingOptions,
  onProgress?: (progress: ModelLoadProgress) => void,
): Promise<InfoEmbedder> {
  const embedder = await loadOnDevice(options, onProgress);
  onProgress?.({ stage: 'ready' });
  if (embedder.info.device !== 'webgpu') return embedder;
  // Later failures on WebGPU (a lost device) move to WASM too, retrying the failed call there.
  return new FallbackEmbedder(embedder, (why) =>
    TransformersEmbedder.load({
      model: MODEL_REGISTRY[options.model]!,
      device: 'wasm',
      reason: `WebGPU failed at run (${why.slice(0, 200)}); fell back to WASM`,
      threads: wasmThreads(),
    }),
  );
}

function wasmThreads(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1)) : 1;
}

async function loadOnDevice(
  options: EmbeddingOptions,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
): Promise<TransformersEmbedder> {
  const spec: ModelSpec = MODEL_REGISTRY[options.model]!;
  configureModelFiles(options);
  const threads = wasmThreads();
  env.backends.onnx.wasm!.numThreads = threads;
  const choice = await chooseDevice(options.device ?? 'auto');
  if (choice.device === 'webgpu') {
    try {
      const embedder = await TransformersEmbedder.load({
        model: spec,
        device: 'webgpu',
        reason: choice.reason,
        ...(onProgress && { onProgress }),
      });
      await embedder.embed(['probe']); // a failure at run time shows here, not in the user's first write
      return embedder;
    } catch (error) {
      const why =
        toMnemoError(error).cause instanceof Error ? (toMnemoError(error).cause as Error).message : toMnemoError(error).message;
      return TransformersEmbedder.load({
        model: spec,
        device: 'wasm',
        reason: `WebGPU failed (${why.slice(0, 200)}); fell back to WASM`,
        threads,
      });
    }
  }
  return TransformersEmbedder.load({
    ...(onProgress && { onProgress }),
    model: spec,
    device: 'wasm',
    reason: choice.reason,
    threads,
  });
}

/** Points transformers.js at the ONNX Runtime files the app serves and at the model source of `options`. */
export function configureModelFiles(options: Pick<EmbeddingOptions, 'localModelPath' | 'remoteHost'>): void {
  // The app serves ONNX Runtime's files itself (Vite emits them): nothing is fetched from a CDN.
  env.backends.onnx.wasm!.wasmPaths = {
    mjs: new URL(ortMjs, globalThis.location?.href).href,
    wasm: new URL(ortWasm, globalThis.location?.href).href,
  };
  if (options.localModelPath !== undefined) {
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    env.localModelPath = options.localModelPath;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    if (options.remoteHost !== undefined) env.remoteHost = options.remoteHost;
  }
}
