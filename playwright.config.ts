import { defineConfig } from '@playwright/test';
import { ensureE2eEnv } from './cli/e2e-env';
import { chromiumLaunchOptions } from './e2e/browser';

// Free ports and a server token per run, unless KINLENS_E2E_PORT / KINLENS_E2E_DEV_PORT say
// otherwise; chosen once in the runner, inherited by the workers and the servers through
// process.env. e2e/fixtures.ts checks every test's server for the token.
const { port: PORT, devPort: DEV_PORT } = ensureE2eEnv();

export default defineConfig({
  testDir: './e2e',
  testMatch: /.*\.spec\.ts/,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  outputDir: 'test-results/e2e',
  projects: [
    // The production build, as deployed: every spec.
    { name: 'build', testIgnore: /dev-server\.spec\.ts/ },
    // `npm start` serves the app through the Vite dev server: a smoke test keeps it working.
    {
      name: 'dev',
      testMatch: /dev-server\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${DEV_PORT}/` },
    },
  ],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1280, height: 800 },
    trace: 'on-first-retry',
    acceptDownloads: true,
  },
  webServer: [
    {
      command: `node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `node node_modules/vite/bin/vite.js --host 127.0.0.1 --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
