// Just-in-time admin accounts and LAPS in the browser (SPEC §16, issue 18), against the demo's fake
// Entra, whose Woodgrove Bank directory (woodgrovebank.test) is the demo customer Woodgrove Bank's:
// the admin authorises it by admin consent and maps a "Level 1 techs" group to User Administrator;
// a technician of the group requests an account inside the customer tenant and sees its password
// once; asking again extends it; the admin ends it and the expiry job removes it; a technician in
// no mapped group is told why; a device's local administrator password is revealed and hidden
// again after 60 seconds.
//
// The tests run in order, each from where the one before left off. The connection stays (no other
// spec uses Woodgrove Bank's Entra); the delegation and the group are put back in `afterAll`.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, setWizard, signIn, signOut } from './onboarding-helpers';
import { adminHeaders, readyUser } from './technicians-helpers';

// The fake Entra's consent page has a certificate made at start-up that only the server trusts.
test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ mode: 'serial', timeout: 120_000 });

const MSP = 'Demo Reseller';
const CUSTOMER = 'Woodgrove Bank';
const ENTRA_ADMIN = 'admin@woodgrovebank.test';
const APP_NAME = 'Entra ID - Woodgrove Bank';
const LAPS_DEVICE = 'WGB-LT-0142';
const LAPS_DEVICE_ID = '4f8a2c6e-1b3d-4e5f-9a7b-0c1d2e3f4a51';
const LAPS_PASSWORD = 'Tq7#mR2v!Lx9Kd4p';
const ALL_CLAIMS = ['view_endpoint_settings', 'edit_endpoint_settings', 'manage_customer_settings', 'view_customers', 'create_customer'];

type Customer = { id: string; name: string; display_name: string; address: string };
type Delegation = { user_ids: string[]; group_ids: string[] };
type User = { id: string; email: string };

const mark = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const GROUP = `Level 1 techs ${mark}`;
let customer: Customer;
let delegationBefore: Delegation;
let groupId: string;
let levelOne: User;
let outsider: User;

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/jit-accounts-${name}.png`, fullPage: true });
}

async function api(request: APIRequestContext, method: 'get' | 'post' | 'put' | 'delete', path: string, data?: unknown) {
  const response = await request[method](path, { data, headers: await adminHeaders(request) });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBeTruthy();
  return response.status() === 204 ? null : response.json();
}

/** The audit log's newest entries with one of `actions`, newest first. */
async function audited(request: APIRequestContext, ...actions: string[]) {
  const page = await api(request, 'get', '/api/v1/audit-log?per_page=100');
  return (page.items as { action: string; target: string; details: unknown }[]).filter((entry) => actions.includes(entry.action));
}

const banner = (page: Page) => page.getByRole('region', { name: 'Customer tenant' });
const jit = (page: Page) => page.getByRole('region', { name: 'Just-in-time admin access' });
const accountRow = (page: Page, upn: string) =>
  page.getByTestId('jit-accounts').getByRole('row').filter({ has: page.getByRole('rowheader', { name: upn, exact: true }) });

/** Goes into Woodgrove Bank from its tile in Your customers (technicians) and waits for its JIT section. */
async function goInFromTile(page: Page) {
  const tile = page.getByRole('region', { name: 'Your customers' }).getByRole('button', { name: `${customer.display_name} ${customer.address}`, exact: true });
  await tile.click();
  await expect(page.getByTestId('customer-tenant-banner')).toContainText(`You are in ${customer.display_name} (customer tenant of ${MSP})`);
  await expect(jit(page).getByTestId('jit-app-name')).toHaveText(APP_NAME);
}

/** Opens the … menu of Woodgrove Bank's row on the Customers page and follows `item`. */
async function customerMenu(page: Page, item: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search customers', exact: true }).fill(CUSTOMER);
  const row = page.getByTestId('customers-table').getByRole('row').filter({ has: page.getByRole('rowheader', { name: customer.display_name, exact: true }) });
  await expect(row).toHaveCount(1);
  const toggle = row.getByRole('button', { name: `Actions for ${customer.display_name}`, exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await row.getByRole(item === 'Open' ? 'button' : 'link', { name: `${item} ${customer.display_name}`, exact: true }).click();
}

const expectedUpn = (email: string) => `msp-${email.split('@')[0]}@woodgrovebank.test`;

test.afterAll(async ({ playwright }) => {
  if (!customer) return;
  const request = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 18088}` });
  try {
    await api(request, 'put', `/api/v1/customers/${customer.id}/delegation`, delegationBefore);
    if (groupId) await request.delete(`/api/v1/technician-groups/${groupId}`, { headers: await adminHeaders(request) });
  } finally {
    await request.dispose();
  }
});

test('an admin authorises Woodgrove Bank’s Entra directory and maps Level 1 techs to User Administrator', async ({ page, request }) => {
  const found = await api(request, 'get', `/api/v1/customers?q=${encodeURIComponent(CUSTOMER)}`);
  customer = (found.items as Customer[]).find((item) => item.name === CUSTOMER) as Customer;
  expect(customer, 'the demo customer Woodgrove Bank').toBeTruthy();
  delegationBefore = await api(request, 'get', `/api/v1/customers/${customer.id}/delegation`);
  levelOne = await readyUser(request, 'level-one', PASSWORD, { claims: ALL_CLAIMS });
  outsider = await readyUser(request, 'no-group', PASSWORD, { claims: ALL_CLAIMS });
  for (const user of [levelOne, outsider]) await setWizard(request, user.email, 'dismissed', 1);
  groupId = (await api(request, 'post', '/api/v1/technician-groups', { name: GROUP, member_ids: [levelOne.id] })).id;
  // The group may go in, and the outsider too, by name, though no group of theirs is mapped.
  await api(request, 'put', `/api/v1/customers/${customer.id}/delegation`, {
    user_ids: [...delegationBefore.user_ids, outsider.id],
    group_ids: [...delegationBefore.group_ids, groupId],
  });

  await setWizard(request, ADMIN, 'dismissed', 1);
  await signIn(page, ADMIN);
  await customerMenu(page, 'Entra ID for just-in-time accounts');
  await expect(page).toHaveURL(new RegExp(`/customer-entra/${customer.id}$`));
  await expect(page.getByRole('heading', { name: 'Entra ID for just-in-time accounts', level: 1 })).toBeVisible();
  await expect(page.getByTestId('customer-entra-customer')).toHaveText(`Customer: ${customer.display_name}`);
  await expect(page.getByTestId('connection')).toHaveText('Not authorised yet.');
  await expect(page.getByTestId('authorize-first')).toBeVisible();
  await expectAccessible(page);
  await snap(page, 'not-authorised');

  // Entra's consent page, accepted by an administrator of the customer's directory.
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
  await snap(page, 'fake-consent');
  await page.getByRole('link', { name: new RegExp(`^Accept as .* ${ENTRA_ADMIN}$`) }).click();
  await expect(page).toHaveURL(new RegExp(`/customer-entra/${customer.id}$`));
  await expect(page.getByRole('status').filter({ hasText: 'accepted the consent' })).toHaveText(
    'Microsoft Entra accepted the consent: the connection is authorised.',
  );
  // Entra's answer names the directory, not who consented: the admin who pressed Authorize is kept.
  await expect(page.getByTestId('connection')).toHaveText(new RegExp(`^Authorised by ${ADMIN} on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`));

  // The directory's domains: the federated and the unverified ones cannot be chosen.
  const domain = page.getByLabel('Account domain');
  await expect(domain.locator('option', { hasText: 'sso.woodgrovebank.test' })).toBeDisabled();
  await expect(domain.locator('option', { hasText: 'new.woodgrovebank.test' })).toBeDisabled();
  await domain.selectOption('woodgrovebank.test');

  await page.getByLabel('Application name').fill(APP_NAME);
  // A lifetime out of bounds is refused at its field before anything is sent.
  await page.getByLabel('Account lifetime (hours)').fill('25');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#lifetime-problem')).toHaveText('An account lives 1 to 24 hours, not 25.');
  await page.getByLabel('Account lifetime (hours)').fill('2');

  await page.getByRole('radio', { name: 'Per technician group' }).check();
  const mapping = page.getByRole('group', { name: 'Group mapping 1' });
  await mapping.getByLabel('Technician group').selectOption({ label: GROUP });
  await mapping.getByLabel('Roles').selectOption({ label: 'User Administrator' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toHaveText('Saved.');
  await expectAccessible(page);
  await snap(page, 'saved');

  const saved = await api(request, 'get', `/api/v1/customers/${customer.id}/entra-connection`);
  expect(saved.app_name).toBe(APP_NAME);
  expect(saved.lifetime_hours).toBe(2);
  expect(saved.account_domain).toBe('woodgrovebank.test');
  expect(saved.role_mapping.mode).toBe('per_group');
  expect(saved.role_mapping.groups).toHaveLength(1);
  expect(saved.role_mapping.groups[0].group_id).toBe(groupId);
});

test('a Level 1 technician requests an account, sees its password once and extends it', async ({ page, request }) => {
  const upn = expectedUpn(levelOne.email);
  await signIn(page, levelOne.email);
  await goInFromTile(page);
  await expect(jit(page).getByTestId('jit-accounts-empty')).toBeVisible();
  await expectAccessible(page);
  await snap(page, 'before-request');

  await jit(page).getByRole('button', { name: 'Request access' }).click();
  const dialog = page.getByRole('dialog', { name: 'Your just-in-time account' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Sign-in name')).toHaveValue(upn);
  const password = await dialog.getByLabel('Password').inputValue();
  expect(password).toHaveLength(20);
  await expect(dialog.getByRole('button', { name: 'Copy password' })).toBeVisible();
  await expect(dialog).toContainText('User Administrator');
  await expectAccessible(page);
  await snap(page, 'granted');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);

  const row = accountRow(page, upn);
  await expect(row).toContainText('User Administrator');
  await expect(row).toContainText('Active');
  await expect(row.getByRole('button', { name: `End now ${upn}` })).toBeVisible();
  // Shown once: the page read again has no trace of it.
  await page.reload();
  await expect(accountRow(page, upn)).toContainText('Active');
  expect(await page.content()).not.toContain(password);

  // Asking again extends it; no new password.
  await jit(page).getByRole('button', { name: 'Extend' }).click();
  await expect(jit(page).getByRole('status').filter({ hasText: 'was extended until' })).toContainText(`Your account ${upn} was extended until`);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'extended');

  // Back in the MSP, the home page lists it with its customer.
  await banner(page).getByRole('button', { name: `Back to ${MSP}`, exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Customers', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home', exact: true }).click();
  const mine = page.getByTestId('your-jit-accounts');
  await expect(mine.getByRole('row').filter({ hasText: upn })).toContainText(customer.display_name);
  await expectAccessible(page);
  await snap(page, 'home');

  const entries = await audited(request, 'jit_account.create', 'jit_account.extend');
  expect(entries.map((entry) => entry.action)).toEqual(['jit_account.extend', 'jit_account.create']);
  expect(JSON.stringify(entries)).not.toContain(password);
});

test('a technician in no mapped group is told why no account is made', async ({ page }) => {
  await signIn(page, outsider.email);
  await goInFromTile(page);
  await jit(page).getByRole('button', { name: 'Request access' }).click();
  await expect(jit(page).getByRole('alert')).toContainText("None of your technician groups is mapped to roles in this customer's Entra; ask an admin of your MSP.");
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Another's account is listed, but only its owner and the admins may end it.
  const row = accountRow(page, expectedUpn(levelOne.email));
  await expect(row).toContainText('Active');
  await expect(row.getByRole('button')).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'not-in-mapped-group');
});

test('the admin ends the account and the expiry job removes it from the customer’s directory', async ({ page, request }) => {
  const upn = expectedUpn(levelOne.email);
  await signIn(page, ADMIN);
  await customerMenu(page, 'Open');
  await expect(jit(page).getByTestId('jit-app-name')).toHaveText(APP_NAME);
  const row = accountRow(page, upn);
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: `End now ${upn}` }).click();
  await expect(jit(page).getByRole('status').filter({ hasText: 'is being removed' })).toHaveText(`${upn} is being removed from the customer's directory.`);
  // The job disables it, revokes its sessions, removes its role and deletes it; the list follows.
  await expect(jit(page).getByTestId('jit-accounts-empty')).toBeVisible({ timeout: 60_000 });
  await expectAccessible(page);
  await snap(page, 'ended');

  const [expired] = await audited(request, 'jit_account.expire');
  expect(expired.details).toMatchObject({ user_principal_name: upn, technician: levelOne.email, reason: 'ended' });
  expect((await audited(request, 'jit_account.end')).length).toBe(1);
});

test('a technician reveals a device’s local administrator password, hidden again after 60 seconds', async ({ page, request }) => {
  await page.clock.install();
  await signIn(page, levelOne.email);
  await goInFromTile(page);
  const devices = page.getByTestId('laps-devices');
  const device = devices.getByRole('row').filter({ has: page.getByRole('rowheader', { name: LAPS_DEVICE, exact: true }) });
  await device.getByRole('button', { name: `Reveal password of ${LAPS_DEVICE}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Password')).toHaveValue(LAPS_PASSWORD);
  await expect(dialog.getByTestId('laps-account')).toHaveText('Administrator');
  await expectAccessible(page);
  await snap(page, 'laps-revealed');

  await page.clock.fastForward(61_000);
  await expect(dialog.getByTestId('laps-hidden')).toHaveText('The password is hidden again.');
  await expect(dialog.getByLabel('Password')).toHaveCount(0);
  expect(await page.content()).not.toContain(LAPS_PASSWORD);
  await snap(page, 'laps-hidden');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);

  const [revealed] = await audited(request, 'laps.reveal');
  expect(revealed.target).toBe(`device:${LAPS_DEVICE_ID}`);
  expect(revealed.details).toMatchObject({ device_name: LAPS_DEVICE, account_name: 'Administrator' });
  expect(JSON.stringify(revealed)).not.toContain(LAPS_PASSWORD);
  await signOut(page);
});
