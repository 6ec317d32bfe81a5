import { expect, test, type Page } from '@playwright/test';

const ADMIN = 'admin@demo-reseller.test';
const PASSWORD = 'demo-password-1';

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// The onboarding wizard opens over the shell for the demo admin until it is closed: these tests
// are about the shell, so they start with it closed.
test.beforeEach(async ({ request }) => {
  const login = await request.post('/api/v1/auth/login', { data: { email: ADMIN, password: PASSWORD } });
  const headers = { authorization: `Bearer ${(await login.json()).access_token}` };
  const closed = await request.put('/api/v1/onboarding-wizard', { headers, data: { status: 'dismissed', step: 1, history: [] } });
  expect(closed.ok()).toBeTruthy();
});

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

test('the demo admin signs in and sees who and where they are', async ({ page }) => {
  await signIn(page, ADMIN, PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN);
  await expect(page.getByTestId('signed-in-tenant')).toHaveText('Demo Reseller · Reseller');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByTestId('onboarding-availability')).toContainText('MSP Onboarding is available');
  await snap(page, 'shell-signed-in');
});

test('a wrong password shows a clear message and no session', async ({ page }) => {
  await signIn(page, ADMIN, 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password. Check both and try again.');
  await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
  await snap(page, 'login-wrong-password');
});

test('a reload keeps the session and the client route', async ({ page }) => {
  await signIn(page, ADMIN, PASSWORD);
  await page.getByRole('link', { name: 'API tokens' }).click();
  await expect(page).toHaveURL(/\/api-tokens$/);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN);
});

test('signing out returns to the sign-in form', async ({ page }) => {
  await signIn(page, ADMIN, PASSWORD);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
});

test('an API token is shown once, listed by its prefix, and can be revoked', async ({ page }) => {
  await signIn(page, ADMIN, PASSWORD);
  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Token name').fill('PSA sync');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByTestId('new-token').textContent();
  expect(token).toMatch(/^msp_/);
  const row = page.getByRole('row', { name: /PSA sync/ });
  await expect(row).toBeVisible();
  await snap(page, 'api-tokens');
  await row.getByRole('button', { name: /Revoke/ }).click();
  await expect(row.getByText('Revoked')).toBeVisible();
});

test('the access token never reaches browser storage', async ({ page, context }) => {
  await signIn(page, ADMIN, PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN);
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).not.toContain('eyJ');
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === 'msp_session');
  expect(session?.httpOnly).toBe(true);
  expect(await page.evaluate(() => document.cookie)).not.toContain('msp_session');
});

test('the API docs page renders from the server alone, under its security policy', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto('/api-docs/');
  await expect(page.getByText('MSP Onboarding API').first()).toBeVisible();
  await expect(page.getByText('/api/v1/customers').first()).toBeVisible();
  expect(violations).toEqual([]);
  await snap(page, 'api-docs');
});

test('the web app runs under the Content-Security-Policy without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, ADMIN, PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN);
  expect(violations).toEqual([]);
});
