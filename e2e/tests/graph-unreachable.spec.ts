// SPEC §6: when Microsoft Graph cannot be reached, the Azure grid says so in words a reseller can
// act on, the Customers grid still works, and Try again asks again. A second server shares the
// demo database (and its signing key) but sends Graph traffic to a loopback port nobody serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  ADMIN,
  DEMO_SECRET,
  DEMO_TENANT_ID,
  expectAccessible,
  expectSecretNowhere,
  openCustomerList,
  recordUrls,
  setTenantId,
  setWizard,
} from './onboarding-helpers';

const root = resolve(__dirname, '../..');
const port = Number(process.env.E2E_PORT ?? 18088) + 1;
const nowhere = 'https://127.0.0.1:1';
let server: ChildProcess | undefined;

test.use({ baseURL: `http://127.0.0.1:${port}` });

test.beforeAll(async () => {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error('E2E_DATA_DIR is set by playwright.config.ts');
  server = spawn(
    process.env.E2E_SERVER_BIN ?? join(root, 'target/debug/msp-onboarding'),
    [
      'serve',
      '--bind', `127.0.0.1:${port}`,
      '--data-dir', dataDir,
      '--web-dir', join(root, 'frontend/dist'),
      '--graph-authority-url', nowhere,
      '--graph-url', nowhere,
    ],
    { env: { ...process.env, APP_LOG: 'error' }, stdio: 'ignore' },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('the second server did not start');
    await new Promise((done) => setTimeout(done, 200));
  }
});

test.afterAll(() => {
  server?.kill();
});

test.beforeEach(async ({ request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  await setWizard(request, ADMIN, 'dismissed', 1);
});

test('when Microsoft Graph cannot be reached the Azure grid says so, the Customers grid still works, and Try again asks again', async ({ page }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, ADMIN);
  const problem = list.getByTestId('azure-error');
  await expect(problem.getByRole('alert')).toContainText('Microsoft Graph cannot be reached', { timeout: 20_000 });
  await expect(list.getByTestId('customers-grid').locator('tbody tr').first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'screenshots/customers-graph-unreachable.png', fullPage: true });

  const retried = page.waitForResponse((response) => response.url().endsWith('/api/v1/msp-onboarding/azure-customers'));
  await problem.getByRole('button', { name: 'Try again' }).click();
  expect((await retried).status()).toBe(502);
  await expect(problem.getByRole('alert')).toContainText('Microsoft Graph cannot be reached', { timeout: 20_000 });
  await list.getByRole('button', { name: 'Close' }).click();
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});
