// The customer list modal (SPEC §6) and the create-customer form (SPEC §7) in the browser,
// against the demo server and its fake Microsoft Graph.
import { expect, test, type Locator, type Page } from '@playwright/test';
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
  signIn,
  technician,
} from './onboarding-helpers';

const NO_VIEW_CUSTOMERS = technician('view_customers');
const NO_CREATE_CUSTOMER = technician('create_customer');
// The demo server is shared by every test of a run: names made here carry this run's mark.
const RUN = Date.now().toString(36);

// Each user starts with the wizard out of the way and the reseller's tenant ID saved, so the MSP
// Onboarding tab is there.
test.beforeEach(async ({ request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  for (const email of [ADMIN, NO_VIEW_CUSTOMERS, NO_CREATE_CUSTOMER]) {
    await setWizard(request, email, 'dismissed', 1);
  }
});

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/customers-${name}.png`, fullPage: true });
}

const customersStatus = (list: Locator) => list.getByTestId('customers-status');
const customerRows = (list: Locator) => list.getByTestId('customers-grid').locator('tbody tr');
const azureGrid = (list: Locator) => list.getByTestId('azure-grid');

async function searchCustomers(list: Locator, text: string) {
  await list.getByRole('searchbox', { name: 'Search customers', exact: true }).fill(text);
}

async function createThroughApi(page: Page, name: string, totalLicenses: number) {
  const response = await page.request.post('/api/v1/customers', {
    data: { name, total_licenses: totalLicenses, email: 'it@paging.example' },
  });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

test('the Customers grid searches by name, created date and number, and pages through the matches', async ({ page }) => {
  const urls = recordUrls(page);
  await signIn(page, ADMIN);
  const prefix = `Paging ${RUN}`;
  for (let index = 1; index <= 12; index += 1) {
    await createThroughApi(page, `${prefix} ${String(index).padStart(2, '0')}`, index === 7 ? 987 : index);
  }
  const contoso = (await (await page.request.get('/api/v1/customers?q=Contoso')).json()).items[0];
  const list = await openCustomerList(page, null);
  await expect(list.getByRole('heading', { name: 'Customers', exact: true })).toBeVisible();
  for (const column of ['Name', 'Customer Type', 'Created Date', 'SPLA', 'Active Licenses', 'Total Licenses', 'Churn Score']) {
    await expect(list.getByTestId('customers-grid').getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  }
  await expectAccessible(page);
  await snap(page, 'list');

  await searchCustomers(list, prefix.toLowerCase());
  await expect(customersStatus(list)).toHaveText('12 customers · page 1 of 2');
  await expect(customerRows(list)).toHaveCount(10);
  await list.getByRole('button', { name: 'Next page' }).click();
  await expect(customersStatus(list)).toHaveText('12 customers · page 2 of 2');
  await expect(customerRows(list)).toHaveCount(2);
  await expect(list.getByRole('button', { name: 'Next page' })).toBeDisabled();
  await list.getByRole('button', { name: 'Previous page' }).click();
  await expect(customersStatus(list)).toHaveText('12 customers · page 1 of 2');

  await searchCustomers(list, '987');
  await expect(customerRows(list)).toHaveCount(1);
  await expect(customerRows(list).first()).toContainText(`${prefix} 07`);

  const contosoDate = contoso.created_at.slice(0, 10);
  await searchCustomers(list, contosoDate);
  await expect(list.getByTestId('customers-grid').getByRole('rowheader', { name: 'Contoso Ltd' })).toBeVisible();
  await expect(customerRows(list).filter({ hasText: 'Contoso Ltd' })).toContainText(contosoDate);

  await searchCustomers(list, `nobody-${RUN}`);
  await expect(list.getByTestId('customers-empty')).toHaveText(`No customer matches “nobody-${RUN}”.`);
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});

test('the Azure grid lists the sub-tenants alphabetically and says why two cannot be created', async ({ page }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, ADMIN);
  const grid = azureGrid(list);
  await expect(grid).toBeVisible();
  const names = await grid.getByRole('rowheader').allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(25);
  const alphabetical = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  expect(names).toEqual(alphabetical);
  await expect(grid.getByRole('button', { name: /sort/i })).toHaveCount(0);

  const sameName = grid.getByRole('row', { name: /Contoso Ltd/ });
  await expect(sameName.getByRole('button', { name: /Create customer/ })).toBeDisabled();
  await expect(sameName).toContainText('A customer with this name already exists');
  const sameTenant = grid.getByRole('row', { name: /3b9e4c1a-7d2f-4e8b-a6c5-0f1e2d3c4b5a/ });
  await expect(sameTenant.getByRole('button', { name: /Create customer/ })).toBeDisabled();
  await expect(sameTenant).toContainText('A customer already has this Azure tenant ID');
  await expect(grid.getByRole('row', { name: /Alpine Ski House/ }).getByRole('button', { name: /Create customer/ })).toBeEnabled();
  await snap(page, 'azure-grid');

  await list.getByRole('searchbox', { name: 'Search Azure customers by name' }).fill('SKI');
  await expect(grid.getByRole('rowheader')).toHaveText(['Alpine Ski House']);
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});

test('a customer created from an Azure row follows the live rules, shows its licence key, and both grids refresh', async ({ page }) => {
  const urls = recordUrls(page);
  const rowName = 'Trey Research';
  const list = await openCustomerList(page, ADMIN);
  const row = azureGrid(list).getByRole('row', { name: new RegExp(rowName) });
  const create = row.getByRole('button', { name: /Create customer/ });
  await create.click();
  const form = page.getByRole('dialog', { name: 'Create customer from Azure' });
  await expect(form).toBeVisible();
  const name = form.getByRole('textbox', { name: 'Name' });
  const total = form.getByRole('spinbutton', { name: 'Total Licenses' });
  const email = form.getByRole('textbox', { name: 'Email' });
  await expect(name).toHaveValue(rowName);
  await expect(name).toBeFocused();
  await expect(form.getByRole('textbox', { name: 'Azure Tenant ID' })).toHaveValue(/^[0-9a-f-]{36}$/);

  // Empty required fields are red with a message from the start.
  await expect(total).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#customer-total-licenses-error')).toHaveText('Enter the number of licences purchased.');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#customer-email-error')).toHaveText('An e-mail address is required.');
  await expect(name).toHaveAttribute('aria-invalid', 'false');

  // A forbidden character is flagged as it is typed.
  await name.press('End');
  await name.press('/');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#customer-name-error')).toHaveText('The characters / \\ and + are not allowed.');
  await expect(name).toHaveAttribute('aria-describedby', /customer-name-error/);
  await name.press('Backspace');
  await expect(name).toHaveAttribute('aria-invalid', 'false');

  // Licensing: MXDR brings and locks TAC; Email Security 365 and ATP exclude each other; an
  // option the reseller lacks is greyed out.
  const mxdr = form.getByRole('checkbox', { name: 'MXDR', exact: true });
  const tac = form.getByRole('checkbox', { name: 'TAC', exact: true });
  const tacUi = form.getByRole('checkbox', { name: 'TAC UI M365 User Security' });
  await expect(tac).toBeDisabled();
  await expect(tacUi).toBeDisabled();
  await mxdr.check();
  await expect(tac).toBeChecked();
  await expect(tac).toBeDisabled();
  await expect(tacUi).toBeEnabled();
  await tacUi.check();
  const emailSecurity = form.getByRole('checkbox', { name: 'Email Security 365' });
  const atp = form.getByRole('checkbox', { name: 'Advanced Threat Protection (ATP)' });
  await atp.check();
  await emailSecurity.check();
  await expect(atp).not.toBeChecked();
  await expect(emailSecurity).toBeChecked();
  await expect(form.getByRole('checkbox', { name: 'Privileged Access Management' })).toBeDisabled();
  await expect(form.getByRole('checkbox', { name: 'Monthly Billing' })).toBeChecked();
  const distribution = (await (await page.request.get('/api/v1/endpoint-settings/windows-gp')).json()).master_gp_distribution;
  const optIn = form.getByRole('checkbox', { name: 'Opt in Reseller Master GP' });
  await (distribution ? expect(optIn).toBeEnabled() : expect(optIn).toBeDisabled());
  await expectAccessible(page);
  await snap(page, 'form-live-rules');

  await total.fill('25');
  await expect(total).toHaveAttribute('aria-invalid', 'false');
  await email.fill('it@trey-research.example');
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form.getByTestId('licence-key')).toHaveText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  const expiry = await form.getByTestId('licence-expiry').textContent();
  const nextYear = new Date();
  nextYear.setUTCFullYear(nextYear.getUTCFullYear() + 1);
  expect(expiry?.slice(0, 4)).toBe(String(nextYear.getUTCFullYear()));
  await expectAccessible(page);
  await snap(page, 'form-created');

  await form.getByRole('button', { name: 'Close' }).click();
  await expect(form).toHaveCount(0);
  await expect(row.getByRole('button', { name: /Create customer/ })).toBeDisabled();
  await expect(row).toContainText('A customer with this name already exists');
  await searchCustomers(list, rowName);
  await expect(list.getByTestId('customers-grid').getByRole('rowheader', { name: rowName })).toBeVisible();
  const saved = (await (await page.request.get(`/api/v1/customers?q=${encodeURIComponent(rowName)}`)).json()).items[0];
  expect(saved.licensing_options).toEqual(expect.arrayContaining(['mxdr', 'tac', 'tac_ui_m365_user_security', 'email_security_365']));
  expect(saved.licensing_options).not.toContain('atp');
  await snap(page, 'grids-refreshed');
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});

test('the blank form puts the server’s conflicts on the field they concern', async ({ page }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, ADMIN);
  const opener = list.getByRole('button', { name: 'New customer' });
  await opener.click();
  const form = page.getByRole('dialog', { name: 'Create customer', exact: true });
  await form.getByRole('textbox', { name: 'Name' }).fill('contoso ltd');
  await form.getByRole('spinbutton', { name: 'Total Licenses' }).fill('5');
  await form.getByRole('textbox', { name: 'Email' }).fill('it@conflict.example');
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form.locator('#customer-name-error')).toContainText(/already/i);
  await expect(form.getByRole('textbox', { name: 'Name' })).toBeFocused();

  await form.getByRole('textbox', { name: 'Name' }).fill(`Conflict ${RUN}`);
  await expect(form.locator('#customer-name-error')).toBeHidden();
  await form.getByRole('textbox', { name: 'Azure Tenant ID' }).fill('3B9E4C1A-7D2F-4E8B-A6C5-0F1E2D3C4B5A');
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form.locator('#customer-azure-tenant-id-error')).toContainText(/tenant ID/i);
  await expect(form.locator('#customer-name-error')).toBeHidden();
  await snap(page, 'form-conflicts');

  // Escape closes the form only, and focus returns to what opened it.
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(list).toBeVisible();
  await expect(opener).toBeFocused();
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});

test('keyboard focus stays inside the customer list, and Escape returns it to See customer list', async ({ page }) => {
  const list = await openCustomerList(page, ADMIN);
  const close = list.getByRole('button', { name: 'Close' });
  await expect(close).toBeFocused();
  // Let both grids finish loading, so the last control of the dialog is where it stays.
  await expect(azureGrid(list).getByRole('rowheader').first()).toBeVisible();
  await expect(list.getByTestId('customers-grid')).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.getAttribute('aria-labelledby'))).toBe('customer-list-title');
  await expect(close).not.toBeFocused();
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  for (let presses = 0; presses < 8; presses += 1) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'See customer list' })).toBeFocused();
});

test('a wrong secret shows what to do about it, and the secret is kept nowhere', async ({ page }) => {
  const wrongSecret = `wrong-secret-${RUN}`;
  const urls = recordUrls(page);
  const list = await openCustomerList(page, ADMIN, wrongSecret);
  const problem = list.getByTestId('azure-error');
  await expect(problem.getByRole('alert')).toContainText('The client secret is wrong');
  await expect(problem.getByRole('button', { name: 'Try again' })).toBeVisible();
  await expect(list.getByTestId('customers-grid')).toBeVisible();
  await expectAccessible(page);
  await snap(page, 'wrong-secret');
  await list.getByRole('button', { name: 'Close' }).click();
  await expectSecretNowhere(page, wrongSecret, urls);
});

test('without view_customers the list explains why and shows neither grid', async ({ page }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, NO_VIEW_CUSTOMERS);
  await expect(list.getByTestId('no-view-customers')).toContainText('View customers');
  await expect(list.getByRole('table')).toHaveCount(0);
  await expect(list.getByRole('button', { name: /Create customer|New customer/ })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'no-view-customers');
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});

test('without create_customer both grids show but no Create is offered', async ({ page }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, NO_CREATE_CUSTOMER);
  await expect(azureGrid(list).getByRole('rowheader').first()).toBeVisible();
  await expect(list.getByTestId('customers-grid')).toBeVisible();
  await expect(list.getByRole('button', { name: /Create customer|New customer/ })).toHaveCount(0);
  await expect(azureGrid(list).getByRole('row', { name: /Contoso Ltd/ })).toContainText('A customer with this name already exists');
  await snap(page, 'no-create-customer');
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});
