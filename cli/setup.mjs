#!/usr/bin/env node
// Makes a fresh checkout ready: installs npm dependencies when package-lock.json changed since the
// last install, and (with --browser) makes sure Chromium exists for the end-to-end tests.
// Used by `npm start`, `npm test` and `npm run bench`, so the README's commands work on a new machine.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const wantBrowser = process.argv.includes('--browser');
const stampFile = 'node_modules/.kinlens-lock-hash';

function run(cmd) {
  console.log(`$ ${cmd}`);
  execSync(cmd, { stdio: 'inherit' });
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`KinLens needs Node.js 20.19 or newer (found ${process.versions.node}).`);
  process.exit(1);
}

const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const installed = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (installed !== lockHash || !existsSync('node_modules/.bin/vite')) {
  run('npm ci --no-audit --no-fund');
  writeFileSync(stampFile, lockHash);
}

/** True when the dynamic loader knows libvulkan.so.1 (WebGPU unit tests run Dawn on it). */
function hasVulkanLoader() {
  try {
    return execSync('ldconfig -p', { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

if (wantBrowser) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const missing = [];
  if (!existsSync(chromium)) missing.push('chromium');
  // Debian's chromium does not pull in the Vulkan loader; the WebGPU unit tests need it.
  if (!hasVulkanLoader()) missing.push('libvulkan1');
  if (missing.length > 0) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot && existsSync('/usr/bin/apt-get')) {
      const apt = 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq';
      run('apt-get update -qq');
      if (missing.includes('chromium')) run(`${apt} chromium`);
      // The loader alone: its recommended Mesa drivers (LLVM) are not used, SwiftShader is.
      if (missing.includes('libvulkan1')) run(`${apt} --no-install-recommends libvulkan1`);
    } else if (missing.includes('chromium')) {
      console.error(
        `Chromium not found at ${chromium}. Install Debian's Chromium (as root: ` +
          `"apt-get install -y ${missing.join(' ')}") or set CHROMIUM_PATH to a Chromium/Chrome binary.`,
      );
      process.exit(1);
    } else {
      console.warn(
        'libvulkan.so.1 not found: the WebGPU unit tests will be skipped ' +
          '(as root: "apt-get install -y libvulkan1").',
      );
    }
  }
}
