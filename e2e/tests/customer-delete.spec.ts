// Deleting a customer tenant from the Customers grid (SPEC §15): admins only, confirmed by
// typing the customer's name. Each test deletes a throwaway customer of its own, never the
// demo's, which other specs use.
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { ADMIN, DEMO_TENANT_ID, PASSWORD, expectAccessible, openCustomerList, setTenantId, setWizard, technician } from './onboarding-helpers';
import { adminHeaders } from './technicians-helpers';

const TECHNICIAN = technician('create_customer');

test.beforeEach(async ({ request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  for (const email of [ADMIN, TECHNICIAN]) {
    await setWizard(request, email, 'dismissed', 1);
  }
});

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/customer-delete-${name}.png`, fullPage: true });
}

async function headersOf(request: APIRequestContext, email: string) {
  const response = await request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(response.ok(), await response.text()).toBeTruthy();
  return { authorization: `Bearer ${(await response.json()).access_token}` };
}

/** A customer made for one test, under a name no other test or run uses. */
async function throwaway(request: APIRequestContext): Promise<{ id: string; name: string }> {
  const name = `Delete Me Bakery ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const response = await request.post('/api/v1/customers', {
    data: { name, total_licenses: 5, email: 'it@deleteme.test' },
    headers: await adminHeaders(request),
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

async function deleteThroughApi(request: APIRequestContext, id: string) {
  return request.delete(`/api/v1/customers/${id}`, { headers: await adminHeaders(request) });
}

const grid = (list: Locator) => list.getByTestId('customers-grid');

/** Opens the customer list as `email` and narrows the Customers grid down to `name`. */
async function findInGrid(page: Page, email: string, name: string) {
  const list = await openCustomerList(page, email);
  await list.getByRole('searchbox', { name: 'Search customers', exact: true }).fill(name);
  await expect(list.getByTestId('customers-status')).toHaveText('1 customer · page 1 of 1');
  await expect(grid(list).getByRole('rowheader', { name, exact: true })).toBeVisible();
  return list;
}

test('an admin deletes a customer after typing its exact name; the row goes and the audit log keeps it', async ({ page, request }) => {
  const customer = await throwaway(request);
  const list = await findInGrid(page, ADMIN, customer.name);
  await expect(grid(list).getByRole('columnheader', { name: 'Actions', exact: true })).toBeVisible();
  await list.getByRole('button', { name: `Delete ${customer.name}`, exact: true }).click();

  const dialog = page.getByRole('dialog', { name: `Delete ${customer.name}?` });
  await expect(dialog).toBeVisible();
  for (const words of ['cannot be undone', 'users', 'licence key', 'activations', 'group policy assignments', 'settings', 'audit log keeps']) {
    await expect(dialog).toContainText(words);
  }
  const typed = dialog.getByRole('textbox', { name: `To confirm, type the customer’s name: ${customer.name}` });
  const confirm = dialog.getByRole('button', { name: 'Delete customer' });
  await expect(typed).toBeFocused();
  await expect(confirm).toBeDisabled();
  for (const wrong of [customer.name.toLowerCase(), customer.name.slice(0, -1), `${customer.name}!`, 'Delete Me Bakery']) {
    await typed.fill(wrong);
    await expect(confirm).toBeDisabled();
  }
  // Enter does not get around the disabled button.
  await typed.press('Enter');
  await expect(dialog).toBeVisible();
  await typed.fill(`  ${customer.name} `);
  await expect(confirm).toBeEnabled();
  await expectAccessible(page);
  await snap(page, 'dialog');

  await confirm.click();
  await expect(dialog).toHaveCount(0);
  await expect(list.getByRole('status').filter({ hasText: `Deleted ${customer.name}.` })).toBeVisible();
  await expect(grid(list).getByRole('rowheader', { name: customer.name, exact: true })).toHaveCount(0);
  await expect(list.getByTestId('customers-empty')).toHaveText(`No customer matches “${customer.name}”.`);
  await expect(list.getByTestId('customers-status')).toHaveText(/^0 customers/);
  await expect(list.getByRole('searchbox', { name: 'Search customers', exact: true })).toBeFocused();
  await expectAccessible(page);
  await snap(page, 'deleted');

  const headers = await adminHeaders(request);
  expect((await request.get(`/api/v1/customers/${customer.id}`, { headers })).status()).toBe(404);
  const audit = await request.get('/api/v1/audit-log?per_page=100', { headers });
  expect(audit.ok(), await audit.text()).toBeTruthy();
  const entries: { action: string; target: string; details?: { name?: string } }[] = (await audit.json()).items;
  const entry = entries.find((item) => item.action === 'customer.delete' && item.target === `customer:${customer.id}`);
  expect(entry, JSON.stringify(entries.slice(0, 5))).toBeTruthy();
  expect(entry?.details?.name).toBe(customer.name);
});

test('a customer deleted elsewhere meanwhile is reported as gone and leaves the grid', async ({ page, request }) => {
  const customer = await throwaway(request);
  const list = await findInGrid(page, ADMIN, customer.name);
  await list.getByRole('button', { name: `Delete ${customer.name}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${customer.name}?` });
  await dialog.getByRole('textbox').fill(customer.name);
  expect((await deleteThroughApi(request, customer.id)).status()).toBe(204);

  await dialog.getByRole('button', { name: 'Delete customer' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('This customer no longer exists.');
  await expect(dialog.getByRole('button', { name: 'Delete customer' })).toBeDisabled();
  await expect(list.getByTestId('customers-empty')).toBeVisible();
  await expectAccessible(page);
  await snap(page, 'gone');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(list.getByRole('status').filter({ hasText: 'Deleted' })).toHaveCount(0);
});

test('a technician sees no Delete button, and the API refuses its deletion', async ({ page, request }) => {
  const customer = await throwaway(request);
  try {
    const list = await findInGrid(page, TECHNICIAN, customer.name);
    await expect(grid(list).getByRole('button')).toHaveCount(0);
    await expect(grid(list).getByRole('columnheader', { name: 'Actions' })).toHaveCount(0);
    await expect(list.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
    await snap(page, 'technician');

    const refused = await request.delete(`/api/v1/customers/${customer.id}`, { headers: await headersOf(request, TECHNICIAN) });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).code).toBe('forbidden');
  } finally {
    expect((await deleteThroughApi(request, customer.id)).status()).toBe(204);
  }
});
