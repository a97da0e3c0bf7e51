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

if (wantBrowser) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (isRoot && existsSync('/usr/bin/apt-get')) {
      run('apt-get update -qq');
      run('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
    } else {
      console.error(
        `Chromium not found at ${chromium}. Install Debian's Chromium (as root: ` +
          '"apt-get install -y chromium") or set CHROMIUM_PATH to a Chromium/Chrome binary.',
      );
      process.exit(1);
    }
  }
}
