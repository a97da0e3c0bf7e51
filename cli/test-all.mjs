#!/usr/bin/env node
// The README's test command: typecheck, lint, format check, unit tests, production build, e2e
// tests in real Chromium. Every step runs even when an earlier one fails, and the last line is a
// summary "tests: N passed, N failed" counting unit and e2e tests (a failed non-test step counts
// as one failure).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const UNIT_JSON = 'test-results/unit-results.json';
const E2E_JSON = 'test-results/e2e-results.json';
for (const f of [UNIT_JSON, E2E_JSON]) rmSync(f, { force: true });

const steps = [
  { name: 'typecheck', cmd: 'npm run -s typecheck' },
  { name: 'lint', cmd: 'npx eslint . --max-warnings=0' },
  { name: 'format', cmd: 'npx prettier --check . --log-level warn' },
  {
    name: 'unit',
    cmd: `npx vitest run --reporter=default --reporter=json --outputFile.json=${UNIT_JSON}`,
    counts: () => {
      const r = JSON.parse(readFileSync(UNIT_JSON, 'utf8'));
      return {
        passed: r.numPassedTests,
        failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0),
        skipped: r.numPendingTests,
      };
    },
  },
  { name: 'build', cmd: 'npx vite build --logLevel warn' },
  {
    name: 'e2e',
    cmd: 'npx playwright test',
    counts: () => {
      const s = JSON.parse(readFileSync(E2E_JSON, 'utf8')).stats;
      return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
    },
  },
];

const results = [];
const started = Date.now();
for (const step of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${step.name}: ${step.cmd}`);
  const r = spawnSync(step.cmd, {
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let counts = null;
  if (step.counts) {
    try {
      counts = step.counts();
    } catch {
      counts = null;
    }
  }
  results.push({ name: step.name, ok: r.status === 0, counts, seconds: (Date.now() - t0) / 1000 });
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\n=== summary');
for (const r of results) {
  const c = r.counts;
  if (c) {
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
  }
  if (!r.ok && (!c || c.failed === 0)) failed += 1; // a failed step with no failing test still fails
  const detail = c ? ` (${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped)` : '';
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(10)} ${r.seconds.toFixed(0).padStart(5)} s${detail}`,
  );
}
console.log(`total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(results.every((r) => r.ok) && existsSync(E2E_JSON) ? 0 : 1);
