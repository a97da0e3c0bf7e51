/**
 * WebGPU in Node for unit tests: Dawn (the `webgpu` npm package) on whatever Vulkan adapter the
 * machine has — SwiftShader from Debian's Chromium here (VK_ICD_FILENAMES, set below when unset),
 * a real GPU elsewhere. Needs libvulkan.so.1 (Debian `libvulkan1`, which `npm test` installs as
 * root). Call before anything imports @tensorflow/tfjs-backend-webgpu: that package registers
 * its backend only when `navigator.gpu` exists at import time.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface NodeWebGpu {
  available: boolean;
  /** Why WebGPU is not available, when it is not. */
  reason?: string;
}

export async function installNodeWebGpu(): Promise<NodeWebGpu> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  // Mesa's Vulkan loader prints "XDG_RUNTIME_DIR is invalid" to stderr without one.
  process.env.XDG_RUNTIME_DIR ??= mkdtempSync(join(tmpdir(), 'kinlens-xdg-'));
  try {
    const { create, globals } = await import('webgpu');
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter)
      return { available: false, reason: 'no WebGPU adapter (is libvulkan1 installed?)' };
    Object.assign(globalThis, globals);
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...(globalThis.navigator ?? {}), gpu },
      configurable: true,
    });
    return { available: true };
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
