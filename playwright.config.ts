import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/browser';

// Overridable so that several checkouts on one machine never share (or reuse) a server.
const PORT = Number(process.env.KINLENS_E2E_PORT ?? 4173);
const DEV_PORT = Number(process.env.KINLENS_E2E_DEV_PORT ?? 5173);

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
      command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite --host 127.0.0.1 --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
