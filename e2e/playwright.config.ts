import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Each run gets a fresh data directory: a new SQLite database seeded with the demo data.
const port = Number(process.env.E2E_PORT ?? 18088);
const root = resolve(__dirname, '..');
// Kept in the environment: worker processes read this file again and must find the same
// directory (a test starts a second server on the same database).
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'msp-e2e-'));
const dataDir = process.env.E2E_DATA_DIR;
const server = process.env.E2E_SERVER_BIN ?? join(root, 'target/debug/msp-onboarding');

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `${server} serve --demo --bind 127.0.0.1:${port} --data-dir ${dataDir} --web-dir ${join(root, 'frontend/dist')}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { APP_LOG: 'error' },
  },
});
