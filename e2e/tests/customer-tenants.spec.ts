// Customer tenants in the browser (SPEC §15, issue 16): the Customers page (Add customer, Access
// delegation, Delete), Your customers on the home page, /t/<address>, and the banner inside a
// customer tenant that leads back to the MSP. Each test makes its own technician (every claim,
// no MFA) and its own names, and puts back what it changed of the demo's customers.
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, setWizard, signIn, signOut } from './onboarding-helpers';
import { adminHeaders, readyUser } from './technicians-helpers';

test.describe.configure({ timeout: 90_000 });

const MSP = 'Demo Reseller';
const ALL_CLAIMS = ['view_endpoint_settings', 'edit_endpoint_settings', 'manage_customer_settings', 'view_customers', 'create_customer'];

type Customer = { id: string; name: string; display_name: string; address: string; url: string; technicians: number };
type Delegation = { user_ids: string[]; group_ids: string[] };

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/customer-tenants-${name}.png`, fullPage: true });
}

/** A mark no other test (or earlier run on the same database) has used: lower-case, for tenant names too. */
const uniqueMark = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A technician with every claim and no MFA, made for one test, with the wizard out of the way. */
async function freshTechnician(request: APIRequestContext, what: string) {
  const user = await readyUser(request, what, PASSWORD, { claims: ALL_CLAIMS });
  await setWizard(request, user.email, 'dismissed', 1);
  return user;
}

/** The demo's Contoso customer, looked up rather than guessed. */
async function contoso(request: APIRequestContext): Promise<Customer> {
  const response = await request.get('/api/v1/customers?q=Contoso', { headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
  const found = ((await response.json()).items as Customer[]).find((customer) => customer.name === 'Contoso Ltd');
  expect(found, 'the demo customer Contoso Ltd').toBeTruthy();
  return found as Customer;
}

async function delegationOf(request: APIRequestContext, id: string): Promise<Delegation> {
  const response = await request.get(`/api/v1/customers/${id}/delegation`, { headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

async function putDelegation(request: APIRequestContext, id: string, delegation: Delegation) {
  const response = await request.put(`/api/v1/customers/${id}/delegation`, { data: delegation, headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
}

async function deleteGroupsEndingWith(request: APIRequestContext, suffix: string) {
  const headers = await adminHeaders(request);
  const response = await request.get('/api/v1/technician-groups', { headers });
  expect(response.ok(), await response.text()).toBeTruthy();
  for (const group of (await response.json()) as { id: string; name: string }[]) {
    if (group.name.endsWith(suffix)) await request.delete(`/api/v1/technician-groups/${group.id}`, { headers });
  }
}

/** Deletes, through the API, every customer whose name holds `mark` (left over by a failed run too). */
async function deleteCustomersMarked(request: APIRequestContext, mark: string) {
  const headers = await adminHeaders(request);
  const response = await request.get(`/api/v1/customers?q=${encodeURIComponent(mark)}&per_page=100`, { headers });
  expect(response.ok(), await response.text()).toBeTruthy();
  for (const customer of (await response.json()).items as Customer[]) {
    if (customer.name.includes(mark)) await request.delete(`/api/v1/customers/${customer.id}`, { headers });
  }
}

/** Goes to the Customers page from the main navigation, as a user would. */
async function customersPage(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
  await expect(page.getByTestId('customers-table')).toBeVisible();
}

const customersTable = (page: Page) => page.getByTestId('customers-table');

/** Narrows the Customers table down to `text`; answers the row of the customer shown as `displayName`. */
async function findRow(page: Page, text: string, displayName: string) {
  await page.getByRole('searchbox', { name: 'Search customers', exact: true }).fill(text);
  const row = customersTable(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: displayName, exact: true }) });
  await expect(row).toHaveCount(1);
  return row;
}

/** Opens the row's … menu and presses one of its items. */
async function rowAction(page: Page, row: Locator, action: 'Open' | 'Access delegation' | 'Delete', displayName: string) {
  const toggle = row.getByRole('button', { name: `Actions for ${displayName}`, exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await row.getByRole('button', { name: `${action} ${displayName}`, exact: true }).click();
}

const yourCustomers = (page: Page) => page.getByRole('region', { name: 'Your customers' });
const tile = (page: Page, customer: { display_name: string; address: string }) =>
  yourCustomers(page).getByRole('button', { name: `${customer.display_name} ${customer.address}`, exact: true });

/** Waits for Your customers to load and, when it is long enough to have a search box, searches it. */
async function loadYourCustomers(page: Page, search?: string) {
  const region = yourCustomers(page);
  await expect(region.getByRole('list').or(region.getByTestId('your-customers-empty'))).toBeVisible();
  const box = region.getByRole('searchbox', { name: 'Search your customers', exact: true });
  if (search !== undefined && (await box.count()) > 0) {
    await box.fill(search);
    await expect(region.getByRole('list').or(region.getByTestId('your-customers-empty'))).toBeVisible();
  }
  return region;
}

const banner = (page: Page) => page.getByRole('region', { name: 'Customer tenant' });

async function expectInside(page: Page, displayName: string) {
  await expect(banner(page)).toBeVisible();
  await expect(page.getByTestId('customer-tenant-banner')).toContainText(`You are in ${displayName} (customer tenant of ${MSP})`);
  await expect(banner(page).getByRole('button', { name: `Back to ${MSP}`, exact: true })).toBeVisible();
}

test('the issue’s walk-through: a group is delegated a customer, and its technician opens it from Your customers and comes back', async ({ page, request }) => {
  const suffix = uniqueMark();
  const groupName = `Level 1 techs ${suffix}`;
  const customer = await contoso(request);
  const before = await delegationOf(request, customer.id);
  const tech = await freshTechnician(request, 'level-1');
  await setWizard(request, ADMIN, 'dismissed', 1);
  try {
    // The admin makes the group and puts the technician in it.
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Technician groups' }).click();
    await expect(page.getByRole('heading', { name: 'Technician groups', level: 1 })).toBeVisible();
    await page.getByLabel('Group name').fill(groupName);
    await page.getByRole('button', { name: 'Create group' }).click();
    const group = page.getByRole('region', { name: groupName });
    await expect(group).toContainText('0 members');
    const choice = group.getByLabel(`Add member to ${groupName}`);
    const option = choice.locator('option', { hasText: tech.email });
    await expect(option).toHaveCount(1);
    await choice.selectOption((await option.getAttribute('value')) ?? '');
    await group.getByRole('button', { name: `Add to ${groupName}` }).click();
    await expect(group.getByRole('list', { name: `Members of ${groupName}` })).toContainText(tech.email);
    await expect(group).toContainText('1 member');

    // … and delegates Contoso to the group from the Customers page.
    await customersPage(page);
    await expect(page.getByRole('button', { name: 'Add customer' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Customers pages' })).toBeAttached();
    const row = await findRow(page, customer.display_name, customer.display_name);
    await expect(row.getByRole('link', { name: customer.url, exact: true })).toHaveAttribute('href', customer.url);
    await expectAccessible(page);
    await snap(page, 'customers-page');

    await rowAction(page, row, 'Access delegation', customer.display_name);
    const dialog = page.getByRole('dialog', { name: `Access delegation: ${customer.display_name}` });
    await expect(dialog).toBeVisible();
    const groups = dialog.getByRole('group', { name: 'Technician groups' });
    const groupBox = groups.getByRole('checkbox', { name: `${groupName} (1 member)`, exact: true });
    await expect(groupBox).not.toBeChecked();
    // Technicians are offered one by one too; this one is not delegated directly.
    await expect(dialog.getByRole('group', { name: 'Technicians' }).getByRole('checkbox', { name: tech.email, exact: true })).not.toBeChecked();
    await groupBox.check();
    await expect(groupBox).toBeChecked();
    await expectAccessible(page);
    await snap(page, 'delegation-dialog');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Access delegation' })).toHaveText(`Access delegation of ${customer.display_name} saved.`);
    expect(await delegationOf(request, customer.id)).toEqual({ user_ids: before.user_ids, group_ids: expect.arrayContaining([...before.group_ids]) });
    expect((await delegationOf(request, customer.id)).group_ids).toHaveLength(before.group_ids.length + 1);
    // The row counts the group's technician among those who may go in.
    await expect(row.getByRole('cell').nth(2)).toHaveText(String(customer.technicians + 1));
    await signOut(page);

    // The technician finds the customer on the home page and goes in from its tile.
    await signIn(page, tech.email);
    const region = await loadYourCustomers(page);
    await expect(region.getByRole('button')).toHaveCount(1);
    const contosoTile = tile(page, customer);
    await expect(contosoTile).toBeVisible();
    await expect(banner(page)).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, 'home-tiles');

    await contosoTile.click();
    await expectInside(page, customer.display_name);
    await expect(page).toHaveURL(/\/$/);
    await expectAccessible(page);
    await snap(page, 'inside-tenant');

    await banner(page).getByRole('button', { name: `Back to ${MSP}`, exact: true }).click();
    await expect(banner(page)).toHaveCount(0);
    await expect(page).toHaveURL(/\/customers$/);
    await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
    await expect(page.getByTestId('signed-in-tenant')).toContainText(MSP);
    await snap(page, 'back-in-msp');
  } finally {
    await putDelegation(request, customer.id, before);
    await deleteGroupsEndingWith(request, suffix);
  }
});

test('/t/<address> tells a technician without delegation there is no such tenant, and takes an admin inside after signing in', async ({ page, request }) => {
  const customer = await contoso(request);
  const tech = await freshTechnician(request, 'undelegated');
  await setWizard(request, ADMIN, 'dismissed', 1);

  await signIn(page, tech.email);
  await page.goto(customer.url);
  await expect(page.getByRole('heading', { name: 'No such customer tenant', level: 1 })).toBeVisible();
  await expect(page.getByTestId('no-such-customer-tenant')).toContainText(customer.address);
  await expect(banner(page)).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'no-such-tenant');
  await page.getByRole('link', { name: 'Back to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(yourCustomers(page).getByTestId('your-customers-empty')).toHaveText('No customers delegated to you yet.');
  await signOut(page);

  // Signed out, the address shows the sign-in form; signing in as the admin goes straight in.
  await page.goto(customer.url);
  await page.getByLabel('E-mail').fill(ADMIN);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectInside(page, customer.display_name);
  await expect(page.getByTestId('signed-in-user')).toHaveText(ADMIN);
  await expectAccessible(page);
  await snap(page, 'admin-at-address');
  await banner(page).getByRole('button', { name: `Back to ${MSP}`, exact: true }).click();
  await expect(banner(page)).toHaveCount(0);
  await expect(page).toHaveURL(/\/customers$/);
});

test('Add customer takes a display name and a tenant name, and a taken tenant name is refused on its field', async ({ page, request }) => {
  const mark = uniqueMark();
  const name = `Tenant Test ${mark}`;
  const displayName = `Shown As ${mark}`;
  const tenantName = `e2e-${mark}`;
  const url = `/t/${tenantName}-demo-reseller`;
  await setWizard(request, ADMIN, 'dismissed', 1);
  try {
    await signIn(page, ADMIN);
    await customersPage(page);
    const add = page.getByRole('button', { name: 'Add customer' });
    await add.click();
    const form = page.getByRole('dialog', { name: 'Create customer', exact: true });
    await expect(form).toBeVisible();
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await form.getByRole('textbox', { name: 'Display name' }).fill(displayName);
    await form.getByRole('textbox', { name: 'Tenant name' }).fill(tenantName);
    await form.getByRole('spinbutton', { name: 'Total Licenses' }).fill('5');
    await form.getByRole('textbox', { name: 'Email' }).fill('it@tenant-test.example');
    await expectAccessible(page);
    await snap(page, 'add-customer');
    await form.getByRole('button', { name: 'Create customer' }).click();
    await expect(form.getByTestId('customer-tenant-url')).toHaveText(url);
    await form.getByRole('button', { name: 'Close' }).click();
    await expect(form).toHaveCount(0);

    const row = await findRow(page, mark, displayName);
    await expect(row.getByRole('link', { name: url, exact: true })).toHaveAttribute('href', url);
    await snap(page, 'added-row');

    // A second customer cannot have the same tenant name: the server's conflict lands on that field.
    await add.click();
    await expect(form).toBeVisible();
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(`${name} again`);
    const tenant = form.getByRole('textbox', { name: 'Tenant name' });
    await tenant.fill(tenantName);
    await form.getByRole('spinbutton', { name: 'Total Licenses' }).fill('5');
    await form.getByRole('textbox', { name: 'Email' }).fill('it@tenant-test.example');
    await form.getByRole('button', { name: 'Create customer' }).click();
    await expect(form.locator('#customer-tenant-name-error')).toBeVisible();
    await expect(form.locator('#customer-tenant-name-error')).toContainText(`tenant name “${tenantName}”`);
    await expect(tenant).toHaveAttribute('aria-invalid', 'true');
    await expect(tenant).toHaveAttribute('aria-describedby', /customer-tenant-name-error/);
    await expect(tenant).toBeFocused();
    await expect(form.locator('#customer-name-error')).toBeHidden();
    await expectAccessible(page);
    await snap(page, 'tenant-name-taken');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toHaveCount(0);
    const headers = await adminHeaders(request);
    const found = await (await request.get(`/api/v1/customers?q=${encodeURIComponent(mark)}`, { headers })).json();
    expect(found.items.map((customer: Customer) => customer.name)).toEqual([name]);
  } finally {
    await deleteCustomersMarked(request, mark);
  }
});

test('a customer deleted from its row menu leaves the Customers page and Your customers', async ({ page, request }) => {
  const mark = uniqueMark();
  const headers = await adminHeaders(request);
  const created = await request.post('/api/v1/customers', {
    data: { name: `Delete Me Tenant ${mark}`, display_name: `Going Away ${mark}`, total_licenses: 5, email: 'it@deleteme.test' },
    headers,
  });
  expect(created.status(), await created.text()).toBe(201);
  const customer: Customer = await created.json();
  const tech = await freshTechnician(request, 'deleted-tile');
  await setWizard(request, ADMIN, 'dismissed', 1);
  try {
    await putDelegation(request, customer.id, { user_ids: [tech.id], group_ids: [] });

    // The delegated technician has its tile.
    await signIn(page, tech.email);
    await loadYourCustomers(page);
    await expect(tile(page, customer)).toBeVisible();
    await signOut(page);

    // The admin deletes it from the row's menu, typing its name.
    await signIn(page, ADMIN);
    await loadYourCustomers(page, customer.display_name);
    await expect(tile(page, customer)).toBeVisible();
    await customersPage(page);
    const row = await findRow(page, mark, customer.display_name);
    await rowAction(page, row, 'Delete', customer.display_name);
    const dialog = page.getByRole('dialog', { name: `Delete ${customer.name}?` });
    await expect(dialog).toBeVisible();
    const confirm = dialog.getByRole('button', { name: 'Delete customer' });
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox').fill(customer.name.slice(0, -1));
    await expect(confirm).toBeDisabled();
    await dialog.getByRole('textbox').fill(customer.name);
    await expect(confirm).toBeEnabled();
    await expectAccessible(page);
    await snap(page, 'delete-dialog');
    await confirm.click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Deleted' })).toHaveText(`Deleted ${customer.name}.`);
    await expect(customersTable(page).getByRole('rowheader', { name: customer.display_name })).toHaveCount(0);
    await expect(page.getByTestId('customers-empty')).toHaveText(`No customer matches “${mark}”.`);
    await snap(page, 'deleted');

    // Gone from the admin's Your customers …
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await loadYourCustomers(page, customer.display_name);
    await expect(tile(page, customer)).toHaveCount(0);
    await signOut(page);

    // … and from the technician's, which is empty again.
    await signIn(page, tech.email);
    await expect(yourCustomers(page).getByTestId('your-customers-empty')).toHaveText('No customers delegated to you yet.');
    await expect(tile(page, customer)).toHaveCount(0);
    await snap(page, 'deleted-your-customers');
    expect((await request.get(`/api/v1/customers/${customer.id}`, { headers })).status()).toBe(404);
  } finally {
    await deleteCustomersMarked(request, mark);
  }
});
