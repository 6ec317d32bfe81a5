// Shared by the wizard and claims browser tests: demo data, sign-in, state set through the API,
// the wizard's panel, accessibility checks and the "secret never kept" check.
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = 'demo-password-1';
export const ADMIN = 'admin@demo-reseller.test';
export const DEMO_TENANT_ID = '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
export const DEMO_CLIENT_ID = '0b6e3c1a-2f4d-4e8a-9c7b-1d2e3f4a5b6c';
export const DEMO_SECRET = 'demo-secret';
export const NO_TENANT_ID_TEXT =
  'The next steps require a Tenant ID to function correctly. If you do not wish to set it up now, click Finish to complete the onboarding.';

export const technician = (missingClaim: string) => `no-${missingClaim.replaceAll('_', '-')}@demo-reseller.test`;

export async function signIn(page: Page, email: string) {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(email);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
}

async function bearer(request: APIRequestContext, email: string) {
  const response = await request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(response.ok(), await response.text()).toBeTruthy();
  return { authorization: `Bearer ${(await response.json()).access_token}` };
}

async function putAs(request: APIRequestContext, email: string, path: string, data: unknown) {
  const response = await request.put(path, { data, headers: await bearer(request, email) });
  expect(response.ok(), await response.text()).toBeTruthy();
}

/** Stores a user's wizard progress, as the web app does after every move. */
export async function setWizard(request: APIRequestContext, email: string, status: string, step = 1, history: number[] = []) {
  await putAs(request, email, '/api/v1/onboarding-wizard', { status, step, history });
}

/** Saves (or, with null, clears) the demo reseller's Azure tenant ID. */
export async function setTenantId(request: APIRequestContext, tenantId: string | null) {
  await putAs(request, ADMIN, '/api/v1/settings/azure-login', { tenant_id: tenantId });
}

export async function wizardProgress(request: APIRequestContext, email: string) {
  const response = await request.get('/api/v1/onboarding-wizard', { headers: await bearer(request, email) });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

export const wizardPanel = (page: Page) => page.locator('#wizard-panel');

/** Waits for the wizard's panel on `step`, checks it with axe and saves a screenshot. */
export async function atStep(page: Page, step: number, flow: string) {
  await expect(wizardPanel(page)).toHaveAttribute('data-step', String(step));
  await expect(page.locator('#wizard-title')).toBeFocused();
  await expectAccessible(page);
  await page.screenshot({ path: `screenshots/wizard-${flow}-step-${String(step).padStart(2, '0')}.png`, fullPage: true });
}

/** Does `act` (a click on the wizard or on the real page) and waits until the server stored the move. */
export async function movingTheWizard(page: Page, act: () => Promise<void>) {
  const saved = page.waitForResponse((response) => response.url().endsWith('/api/v1/onboarding-wizard') && response.request().method() === 'PUT');
  await act();
  expect((await saved).ok()).toBeTruthy();
}

/** Presses a button of the wizard's panel and waits until the server stored the move. */
export async function press(page: Page, name: string) {
  await movingTheWizard(page, () => wizardPanel(page).getByRole('button', { name, exact: true }).click());
}

export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

/** Records every URL the page asks for, to prove the secret never travels in one. */
export function recordUrls(page: Page) {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  return urls;
}

export async function expectSecretNowhere(page: Page, secret: string, urls: string[]) {
  const storage = await page.evaluate(() =>
    JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
  );
  expect(storage).not.toContain(secret);
  expect(JSON.stringify(await page.context().cookies())).not.toContain(secret);
  expect(page.url()).not.toContain(secret);
  expect(urls.filter((url) => url.includes(secret))).toEqual([]);
}

/** Opens the list from the MSP Onboarding tab; signs `email` in first unless already signed in. */
export async function openCustomerList(page: Page, email: string | null, secret = DEMO_SECRET) {
  if (email) await signIn(page, email);
  await page.goto('/guide/msp-onboarding');
  await page.getByLabel('Client ID', { exact: true }).fill(DEMO_CLIENT_ID);
  await page.getByLabel('Secret Value', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'See customer list' }).click();
  const list = page.getByRole('dialog', { name: 'Customer list' });
  await expect(list).toBeVisible();
  return list;
}
