import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, DEMO_TENANT_ID, expectAccessible, setTenantId, setWizard, signIn } from './onboarding-helpers';
import { adminHeaders, snap } from './technicians-helpers';

// SPEC §13–§14: the SSO page (SCIM Tenant URL and Secret Token), and Sign in with Microsoft
// through the demo's fake Entra (its own HTTPS certificate, hence ignoreHTTPSErrors) as the
// technician the demo provisioned over SCIM.
test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ timeout: 60_000 });

const SAM = 'scim.tech@demo-reseller.test';
const SAM_LINK = 'Sam Rivera scim.tech@demo-reseller.test';

async function azureTenantId(request: APIRequestContext): Promise<string | null> {
  const response = await request.get('/api/v1/settings/azure-login', { headers: await adminHeaders(request) });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).tenant_id;
}

async function sam(request: APIRequestContext) {
  const response = await request.get(`/api/v1/users?q=${encodeURIComponent(SAM)}`, { headers: await adminHeaders(request) });
  expect(response.ok()).toBeTruthy();
  return (await response.json()).items[0] as { id: string; active: boolean; source: string };
}

async function setActive(request: APIRequestContext, id: string, active: boolean) {
  const response = await request.patch(`/api/v1/users/${id}`, { data: { active }, headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
}

/** Clicks the Microsoft button and picks Sam on the fake Entra's account page. */
async function signInWithMicrosoftAsSam(page: Page) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
  await expect(page.getByRole('heading', { name: 'Pick an account' })).toBeVisible();
  await page.getByRole('link', { name: SAM_LINK, exact: true }).click();
}

test.describe('with the demo company\'s Microsoft tenant ID saved', () => {
  let saved: string | null = null;
  test.beforeAll(async ({ request }) => {
    saved = await azureTenantId(request);
    await setTenantId(request, DEMO_TENANT_ID);
  });
  test.afterAll(async ({ request }) => {
    await setTenantId(request, saved);
  });

  test('the technician provisioned from Entra signs in with Microsoft', async ({ page, request }) => {
    const provisioned = await sam(request);
    expect(provisioned.source).toBe('scim');
    await setWizard(request, ADMIN, 'completed', 12, []);
    await signInWithMicrosoftAsSam(page);
    await expect(page.getByTestId('signed-in-user')).toHaveText(SAM);
    await snap(page, 'microsoft-signed-in');
  });

  test('a deactivated technician is refused with the reason on the sign-in page', async ({ page, request }) => {
    const provisioned = await sam(request);
    await setActive(request, provisioned.id, false);
    try {
      await signInWithMicrosoftAsSam(page);
      await expect(page.getByRole('alert')).toHaveText(/This account is deactivated/);
      await expect(page.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
      await snap(page, 'microsoft-deactivated');
    } finally {
      await setActive(request, provisioned.id, true);
    }
  });
});

test('an admin generates the SCIM Secret Token once, rotates it and sees the provisioning log', async ({ page, request }) => {
  await setWizard(request, ADMIN, 'completed', 12, []);
  await signIn(page, ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SSO' }).click();
  await expect(page.getByRole('heading', { name: 'SSO', level: 1 })).toBeVisible();
  const tenantUrl = await page.getByTestId('tenant-url').textContent();
  expect(tenantUrl).toMatch(/\/scim\/v2$/);

  // Generate, or rotate the token an earlier run left.
  if (await page.getByRole('button', { name: 'Generate token' }).isVisible()) {
    await page.getByRole('button', { name: 'Generate token' }).click();
  } else {
    await page.getByRole('button', { name: 'Rotate token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate token' }).click();
  }
  await expect(page.getByTestId('new-scim-token')).toHaveText(/^scim_/);
  const first = (await page.getByTestId('new-scim-token').textContent()) ?? '';
  expect(first).toMatch(/^scim_/);
  await expect(page.getByTestId('token-status')).toContainText(first.slice(0, 12));
  await expectAccessible(page);
  await snap(page, 'sso-token-shown-once');

  // Entra's Test Connection with the token: 200 and nobody found, then in the log.
  const lookup = await request.get(`${tenantUrl}/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22`, {
    headers: { authorization: `Bearer ${first}` },
  });
  expect(lookup.status()).toBe(200);
  expect((await lookup.json()).totalResults).toBe(0);

  await page.getByRole('button', { name: 'Rotate token' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate token' }).click();
  // The new token replaces the old one on the page once the server answered.
  await expect(page.getByTestId('new-scim-token')).not.toHaveText(first);
  const second = (await page.getByTestId('new-scim-token').textContent()) ?? '';
  expect(second).toMatch(/^scim_/);
  const stale = await request.get(`${tenantUrl}/Users`, { headers: { authorization: `Bearer ${first}` } });
  expect(stale.status()).toBe(401);

  await page.reload();
  await expect(page.getByTestId('new-scim-token')).toHaveCount(0);
  const log = page.getByRole('region', { name: 'Provisioning log' });
  await expect(log.getByRole('cell', { name: /\/scim\/v2\/Users\?filter=/ }).first()).toBeVisible();
  await snap(page, 'sso-provisioning-log');
});
