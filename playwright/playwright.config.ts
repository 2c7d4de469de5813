import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { launchOptions } from './fixtures/launch-options';

// End-to-end browser tests of the dashboard against one real Rise (see fixtures/global-setup.ts).
// `npm run test:e2e`; it needs the production build (`npm run build`). Screenshots land in
// playwright/screenshots/, the JSON results (counted by .ci/run) in RISE_E2E_JSON or test-results/.
const root = join(import.meta.dirname, '..');

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: join(root, 'test-results', 'playwright'),
  globalSetup: './fixtures/global-setup.ts',
  globalTeardown: './fixtures/global-teardown.ts',
  // One Rise, one database: the specs run one after another (dashboard-journey, layout, viewer).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Deploys take 10-20 s each; the journey has three of them in one test step at most.
  timeout: 180_000,
  expect: { timeout: 20_000 },
  globalTimeout: 25 * 60_000,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.RISE_E2E_JSON ?? join(root, 'test-results', 'e2e-results.json') }],
  ],
  use: {
    ...devices['Desktop Chrome'],
    launchOptions,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
