// The Jobs page (admins): the durable scheduled jobs and how their last runs went. The demo
// server runs housekeeping at start-up, so it has succeeded by the time a test looks (or soon
// after: Refresh asks again).
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, setWizard, signIn, technician } from './onboarding-helpers';
import { adminHeaders } from './technicians-helpers';

const TECHNICIAN = technician('create_customer');

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/jobs-${name}.png`, fullPage: true });
}

/** `2026-12-01T10:00:00.123Z` as the web app writes times: `2026-12-01 10:00` (UTC). */
const minute = (rfc3339: string) => new Date(rfc3339).toISOString().slice(0, 16).replace('T', ' ');

test('an admin opens Jobs from the navigation and sees housekeeping succeeded, every hour', async ({ page, request }) => {
  await setWizard(request, ADMIN, 'dismissed');
  await signIn(page, ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/jobs$/);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  const table = page.getByRole('table', { name: 'Scheduled jobs, times in UTC' });
  for (const header of ['Job', 'Every', 'Last run', 'Outcome', 'Next run']) {
    await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  }
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Housekeeping/ }) });
  const outcome = row.getByTestId('job-outcome');
  // The start-up run may still be going when the page first asks.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(outcome).toHaveText('Succeeded', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(row.getByTestId('job-interval')).toHaveText('1 hour');

  // The page shows what the API says, in the app's UTC layout.
  const response = await request.get('/api/v1/jobs', { headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
  const jobs = (await response.json()) as { items: { name: string; interval_secs: number; next_run_at: string; last_started_at: string; attempts: number }[] };
  const housekeeping = jobs.items.find((job) => job.name === 'housekeeping');
  expect(housekeeping).toBeDefined();
  expect(housekeeping?.interval_secs).toBe(3600);
  expect(housekeeping?.attempts).toBe(0);
  await expect(row.getByTestId('job-last-run')).toHaveText(new RegExp(`^${minute(housekeeping?.last_started_at ?? '')}, took `));
  await expect(row.getByTestId('job-next-run')).toHaveText(minute(housekeeping?.next_run_at ?? ''));
  await expect(outcome.locator('.job-error')).toHaveCount(0);

  await expectAccessible(page);
  await snap(page, 'admin');
});

test('a technician has no Jobs entry and the page says admins only', async ({ page, request }) => {
  // The onboarding wizard, when open, keeps a user on its own steps.
  await setWizard(request, TECHNICIAN, 'dismissed', 1);
  await signIn(page, TECHNICIAN);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Users' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Jobs', exact: true })).toHaveCount(0);

  await page.goto('/settings/jobs');
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Only admins' })).toHaveText('Only admins see the scheduled jobs.');
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Refresh' })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'technician');

  // The API agrees: a technician's token is refused.
  const login = await request.post('/api/v1/auth/login', { data: { email: TECHNICIAN, password: PASSWORD } });
  expect(login.ok(), await login.text()).toBeTruthy();
  const refused = await request.get('/api/v1/jobs', { headers: { authorization: `Bearer ${(await login.json()).access_token}` } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe('forbidden');
});
