// The embedding model on WebGPU in Chromium: `--enable-unsafe-webgpu` gives a SwiftShader (software) adapter
// here, which is slow, so only the tiny generated model runs on it.

import { chromiumLaunchOptions } from '../scripts/find-chromium.mjs';
import { expect, test } from './support/fixtures.js';

const TINY = { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/' };

// launchOptions replace the config's whole object, so the browser path and offline flags come again.
test.use({ launchOptions: chromiumLaunchOptions(['--enable-unsafe-webgpu']) });
test.slow();

test('a software adapter is detected and not preferred; asked for, WebGPU runs and agrees with WASM', async ({
  harnessPage: page,
}) => {
  const result = await page.evaluate(async (tiny) => {
    const texts = ['Ada prefers green tea', 'The meeting moved to Thursday afternoon'];
    const auto = await window.harness.embedWith({ ...tiny, device: 'auto' }, texts);
    const gpu = await window.harness.embedWith({ ...tiny, device: 'webgpu' }, texts);
    const adapter = await (
      navigator as unknown as { gpu: { requestAdapter(): Promise<{ info: { architecture: string } } | null> } }
    ).gpu.requestAdapter();
    return { auto, gpu, architecture: adapter?.info.architecture };
  }, TINY);
  expect(result.architecture).toBe('swiftshader');
  expect(result.auto.info).toMatchObject({
    device: 'wasm',
    reason: 'the WebGPU adapter is software (swiftshader), slower than WASM',
  });
  expect(result.gpu.info).toMatchObject({
    device: 'webgpu',
    dims: 128,
    reason: 'WebGPU was asked for (a software adapter: swiftshader)',
  });
  result.gpu.vectors.forEach((vector, i) => {
    const wasm = result.auto.vectors[i]!;
    const cosine = vector.reduce((sum, x, d) => sum + x * wasm[d]!, 0);
    expect(cosine).toBeGreaterThan(0.999);
  });
});
