// What is new in the Azure grid (issue 19) in the browser: the Show new sub-tenants switch, the New
// mark on a sub-tenant added in Azure since the previous visit, and Rename customer after a rename
// in Azure, done and refused. The demo's fake Graph is changed through its control endpoint and
// put back afterwards, as is the setting, since every spec shares one demo server.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, request as http, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import {
  ADMIN,
  DEMO_CLIENT_ID,
  DEMO_SECRET,
  DEMO_TENANT_ID,
  expectAccessible,
  openCustomerList,
  setTenantId,
  setWizard,
} from './onboarding-helpers';
import { adminHeaders } from './technicians-helpers';

/** The demo sub-tenant linked to the demo customer Woodgrove Bank by its tenant ID. */
const WOODGROVE_TENANT = '3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a';
const WOODGROVE_IN_AZURE = 'Woodgrove Financial';
const WOODGROVE_CUSTOMER = 'Woodgrove Bank';

test.beforeEach(async ({ request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  await setWizard(request, ADMIN, 'dismissed', 1);
});

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/azure-news-${name}.png`, fullPage: true });
}

const grid = (list: Locator) => list.getByTestId('azure-grid');
const azureRow = (list: Locator, name: string) => grid(list).getByRole('row', { name: new RegExp(name) });

/** The demo's fake Microsoft Graph (self-signed), whose sub-tenants a test may change. */
async function fakeGraph() {
  const url = readFileSync(join(process.env.E2E_DATA_DIR ?? '', 'demo-fake-graph-url'), 'utf8').trim();
  return http.newContext({ baseURL: url, ignoreHTTPSErrors: true });
}

/** Renames the sub-tenant in the fake, or adds it as a new contract. */
async function putSubTenant(fake: APIRequestContext, customerId: string, displayName: string) {
  const response = await fake.put(`/_fake/sub-tenants/${customerId}`, { data: { display_name: displayName } });
  expect(response.status(), await response.text()).toBe(204);
}

async function deleteSubTenant(fake: APIRequestContext, customerId: string) {
  const response = await fake.delete(`/_fake/sub-tenants/${customerId}`);
  expect(response.status(), await response.text()).toBe(204);
}

async function setShowNew(request: APIRequestContext, on: boolean) {
  const response = await request.put('/api/v1/settings/new-sub-tenants', {
    data: { show_new_sub_tenants: on },
    headers: await adminHeaders(request),
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}

async function showNew(request: APIRequestContext): Promise<boolean> {
  const response = await request.get('/api/v1/settings/new-sub-tenants', { headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
  return (await response.json()).show_new_sub_tenants;
}

/** Lists the sub-tenants as the demo admin, as the grid does. */
async function listThroughApi(request: APIRequestContext) {
  const response = await request.post('/api/v1/msp-onboarding/azure-customers', {
    data: { client_id: DEMO_CLIENT_ID, client_secret: DEMO_SECRET },
    headers: await adminHeaders(request),
  });
  expect(response.ok(), await response.text()).toBeTruthy();
}

/** Counts the grid's listings from now on. */
function countListings(page: Page) {
  const seen = { listings: 0 };
  page.on('request', (sent) => {
    if (sent.method() === 'POST' && sent.url().endsWith('/api/v1/msp-onboarding/azure-customers')) seen.listings += 1;
  });
  return seen;
}

/**
 * Puts Woodgrove back as the demo has it: the sub-tenant named Woodgrove Financial in the fake and
 * the customer Woodgrove Bank, with Woodgrove Financial as the Azure name it was linked to (Rename
 * customer records it, and a listing first makes the server see the name again).
 */
async function restoreWoodgrove(request: APIRequestContext, fake: APIRequestContext) {
  await putSubTenant(fake, WOODGROVE_TENANT, WOODGROVE_IN_AZURE);
  await listThroughApi(request);
  const headers = await adminHeaders(request);
  const renamed = await request.post(`/api/v1/msp-onboarding/azure-customers/${WOODGROVE_TENANT}/rename-customer`, { headers });
  expect(renamed.status(), await renamed.text()).toBe(200);
  const patched = await request.patch(`/api/v1/customers/${(await renamed.json()).id}`, { data: { name: WOODGROVE_CUSTOMER }, headers });
  expect(patched.ok(), await patched.text()).toBeTruthy();
}

test('Show new sub-tenants marks a sub-tenant added in Azure as New until the next visit', async ({ page, request }) => {
  await setShowNew(request, false);
  const fake = await fakeGraph();
  const added = randomUUID();
  const name = "Munson's Pickles and Preserves Farm";
  try {
    const list = await openCustomerList(page, ADMIN);
    await expect(azureRow(list, 'Alpine Ski House')).toBeVisible();
    await expect(grid(list)).toHaveAttribute('aria-busy', 'false');
    const toggle = list.getByRole('switch', { name: 'Show new sub-tenants' });
    await expect(toggle).toBeEnabled();
    await expect(toggle).not.toBeChecked();
    await expectAccessible(page);

    // Saving lists again once, so that the marks appear; nothing was added since a moment ago.
    const listed = page.waitForResponse(
      (response) => response.request().method() === 'POST' && response.url().endsWith('/api/v1/msp-onboarding/azure-customers'),
    );
    await toggle.check();
    expect((await listed).ok()).toBeTruthy();
    await expect(grid(list)).toHaveAttribute('aria-busy', 'false');
    expect(await showNew(request)).toBe(true);
    await expect(list.getByTestId('new-badge')).toHaveCount(0);

    await putSubTenant(fake, added, name);
    await list.getByRole('button', { name: 'Close' }).click();
    const again = await openCustomerList(page, null);
    await expect(again.getByRole('switch', { name: 'Show new sub-tenants' })).toBeChecked();
    const row = azureRow(again, name);
    await expect(row.getByTestId('new-badge')).toContainText('New');
    await expect(row.getByRole('rowheader')).toContainText('first listed since your previous visit');
    await expect(again.getByTestId('new-badge')).toHaveCount(1);
    await expect(row.getByRole('button', { name: /Create customer/ })).toBeEnabled();
    await expectAccessible(page);
    await row.scrollIntoViewIfNeeded();
    await snap(page, 'new');

    await again.getByRole('button', { name: 'Close' }).click();
    const third = await openCustomerList(page, null);
    await expect(azureRow(third, name)).toBeVisible();
    await expect(grid(third)).toHaveAttribute('aria-busy', 'false');
    await expect(third.getByTestId('new-badge')).toHaveCount(0);
  } finally {
    await deleteSubTenant(fake, added);
    await setShowNew(request, false);
    await fake.dispose();
  }
});

test('a sub-tenant renamed in Azure offers Rename customer, which gives its customer the Azure name in place', async ({ page, request }) => {
  await setShowNew(request, true);
  const fake = await fakeGraph();
  const renamedTo = 'Woodgrove Financial Services';
  try {
    // The demo customer was linked before names were kept: a listing makes today's name its start.
    await listThroughApi(request);
    await putSubTenant(fake, WOODGROVE_TENANT, renamedTo);
    const listings = countListings(page);
    const list = await openCustomerList(page, ADMIN);
    const row = azureRow(list, WOODGROVE_TENANT);
    await expect(row.getByRole('rowheader')).toHaveText(renamedTo);
    await expect(row.getByTestId('azure-rename')).toContainText(
      `Renamed in Azure (was ${WOODGROVE_IN_AZURE}); customer: ${WOODGROVE_CUSTOMER}`,
    );
    await expect(row.getByTestId('azure-match')).toHaveText(`Linked to ${WOODGROVE_CUSTOMER}`);
    await expect(row).toContainText('A customer already has this Azure tenant ID');
    await expectAccessible(page);
    await row.scrollIntoViewIfNeeded();
    await snap(page, 'renamed');

    const before = listings.listings;
    await row.getByRole('button', { name: `Rename customer ${WOODGROVE_CUSTOMER}` }).click();
    const done = row.getByTestId('azure-renamed');
    await expect(done).toHaveText(`${WOODGROVE_CUSTOMER} is now ${renamedTo}`);
    await expect(done).toBeFocused();
    await expect(row.getByTestId('azure-rename')).toHaveCount(0);
    await expect(row.getByTestId('azure-match')).toHaveText(`Linked to ${renamedTo}`);
    await expect(row).toContainText('A customer with this name already exists');
    await list.getByRole('searchbox', { name: 'Search customers', exact: true }).fill('Woodgrove');
    await expect(list.getByTestId('customers-grid').getByRole('rowheader', { name: renamedTo, exact: true })).toBeVisible();
    // The row changed in place: listing again would have been the user's next visit.
    expect(listings.listings).toBe(before);
    await expectAccessible(page);
    await row.scrollIntoViewIfNeeded();
    await snap(page, 'renamed-done');
  } finally {
    await restoreWoodgrove(request, fake);
    await setShowNew(request, false);
    await fake.dispose();
  }
});

test('a Rename customer the server refuses says why next to its row', async ({ page, request }) => {
  await setShowNew(request, true);
  const fake = await fakeGraph();
  try {
    await listThroughApi(request);
    // In Azure the sub-tenant now bears the name of another demo customer.
    await putSubTenant(fake, WOODGROVE_TENANT, 'Contoso Ltd');
    const list = await openCustomerList(page, ADMIN);
    const row = azureRow(list, WOODGROVE_TENANT);
    await expect(row.getByTestId('azure-rename')).toContainText(`(was ${WOODGROVE_IN_AZURE}); customer: ${WOODGROVE_CUSTOMER}`);
    await row.getByRole('button', { name: `Rename customer ${WOODGROVE_CUSTOMER}` }).click();
    const refusal = row.getByTestId('azure-rename-error');
    await expect(refusal).toBeVisible();
    await expect(refusal).toContainText(/Contoso Ltd.+already exists/);
    await expect(row.getByTestId('azure-rename')).toContainText(`customer: ${WOODGROVE_CUSTOMER}`);
    const found = await request.get(`/api/v1/customers?q=${encodeURIComponent(WOODGROVE_CUSTOMER)}`, { headers: await adminHeaders(request) });
    expect((await found.json()).items.map((customer: { name: string }) => customer.name)).toEqual([WOODGROVE_CUSTOMER]);
    await expectAccessible(page);
    await row.scrollIntoViewIfNeeded();
    await snap(page, 'rename-refused');
  } finally {
    await restoreWoodgrove(request, fake);
    await setShowNew(request, false);
    await fake.dispose();
  }
});
