// Existing customers, many at once, and out as CSV (issue 19) in the browser: the Azure grid's
// suggested matches with Link and Not this one, the GDAP label, the bulk create from ticked rows,
// and the Customers page's CSV export. Each test works on sub-tenants of its own, since the demo
// server is shared by every test of a run.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ADMIN, DEMO_TENANT_ID, expectAccessible, openCustomerList, setTenantId, setWizard, signIn } from './onboarding-helpers';

test.beforeEach(async ({ request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  await setWizard(request, ADMIN, 'dismissed', 1);
});

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/azure-matches-${name}.png`, fullPage: true });
}

const azureRow = (list: Locator, name: string) => list.getByTestId('azure-grid').getByRole('row', { name: new RegExp(name) });

async function createThroughApi(page: Page, name: string, email: string) {
  const response = await page.request.post('/api/v1/customers', { data: { name, total_licenses: 3, email } });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

test('a sub-tenant that matches a customer by name is linked to it, and its row then says linked', async ({ page }) => {
  await signIn(page, ADMIN);
  await createThroughApi(page, 'Litware Limited', 'it@litware-limited.example');
  const list = await openCustomerList(page, null);
  const row = azureRow(list, 'Litware Inc');
  await expect(row.getByTestId('azure-match')).toContainText('Matches Litware Limited (by name)');
  await expectAccessible(page);
  await snap(page, 'suggested');

  await row.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(row.getByTestId('azure-match')).toHaveText('Linked to Litware Limited');
  await expect(row.getByRole('button', { name: 'Link', exact: true })).toHaveCount(0);
  await expect(row.getByRole('button', { name: /Create customer/ })).toBeDisabled();
  await expect(row).toContainText('A customer already has this Azure tenant ID');
  await snap(page, 'linked');
});

test('Not this one takes the suggestion away for good', async ({ page }) => {
  await signIn(page, ADMIN);
  await createThroughApi(page, 'Proseware Limited', 'it@proseware-limited.example');
  const list = await openCustomerList(page, null);
  const row = azureRow(list, 'Proseware Inc');
  await expect(row.getByTestId('azure-match')).toContainText('Matches Proseware Limited (by name)');

  await row.getByRole('button', { name: 'Not this one' }).click();
  await expect(row.getByTestId('azure-match')).toHaveCount(0);
  await expect(row.getByRole('button', { name: /Create customer/ })).toBeEnabled();
  await list.getByRole('button', { name: 'Close' }).click();
  const again = await openCustomerList(page, null);
  await expect(azureRow(again, 'Proseware Inc').getByRole('button', { name: /Create customer/ })).toBeEnabled();
  await expect(azureRow(again, 'Proseware Inc').getByTestId('azure-match')).toHaveCount(0);
});

test('ticked rows are created at once with one e-mail each; a refused row says why', async ({ page }) => {
  await signIn(page, ADMIN);
  const list = await openCustomerList(page, null);
  await expect(azureRow(list, 'Coho Winery')).toBeVisible();

  const selectAll = list.getByRole('checkbox', { name: 'Select all creatable' });
  await selectAll.check();
  await expect(list.getByRole('button', { name: /^Create \d+ customers$/ })).toBeVisible();
  await selectAll.uncheck();
  await expect(list.getByRole('button', { name: /^Create \d+ customers?$/ })).toHaveCount(0);

  for (const name of ['Coho Winery', 'Fourth Coffee', 'Lucerne Publishing']) {
    await list.getByRole('checkbox', { name: `Select ${name}` }).check();
  }
  // Someone else takes one of the names meanwhile: the server refuses that row alone.
  await createThroughApi(page, 'Fourth Coffee', 'it@fourth-coffee.example');
  await list.getByRole('button', { name: 'Create 3 customers' }).click();
  const form = page.getByRole('dialog', { name: 'Create 3 customers' });
  await expect(form.getByRole('textbox', { name: 'Email for Coho Winery' })).toHaveValue('it@cohowinery.onmicrosoft.com');
  await expect(form.getByRole('textbox', { name: 'Email for Lucerne Publishing' })).toHaveValue('it@lucernepublishing.onmicrosoft.com');
  await form.getByRole('spinbutton', { name: 'Total Licenses' }).fill('5');
  const lucerne = form.getByRole('textbox', { name: 'Email for Lucerne Publishing' });
  await lucerne.fill('not-an-address');
  await form.getByRole('button', { name: 'Create 3 customers' }).click();
  await expect(lucerne).toBeFocused();
  await expect(lucerne).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await snap(page, 'bulk-form');
  await lucerne.fill('it@lucerne.example');
  await form.getByRole('button', { name: 'Create 3 customers' }).click();

  await expect(form.getByRole('heading', { name: '2 of 3 created' })).toBeVisible();
  await expect(form.getByRole('progressbar', { name: 'Done' })).toHaveAttribute('value', '3');
  await expect(form.getByTestId('bulk-created')).toHaveCount(2);
  await expect(form.getByTestId('bulk-created').first()).toContainText('Coho Winery');
  await expect(form.getByTestId('bulk-created').first().locator('code')).toHaveText(/\S{10,}/);
  const refused = form.getByTestId('bulk-refused');
  await expect(refused).toHaveCount(1);
  await expect(refused).toContainText('Fourth Coffee');
  await expect(refused).toContainText(/already exists/i);
  await expectAccessible(page);
  await snap(page, 'bulk-results');
  await form.getByRole('button', { name: 'Close' }).click();
  await expect(form).toHaveCount(0);
  await expect(azureRow(list, 'Coho Winery').getByRole('button', { name: /Create customer/ })).toBeDisabled();
  await expect(azureRow(list, 'Lucerne Publishing').getByRole('button', { name: /Create customer/ })).toBeDisabled();
});

test('Export CSV downloads the Customers search as CSV', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto('/customers');
  await page.getByRole('searchbox', { name: 'Search customers' }).fill('Contoso');
  const exportLink = page.getByRole('link', { name: 'Export CSV' });
  await expect(exportLink).toHaveAttribute('href', '/api/v1/customers/export?q=Contoso');
  await expectAccessible(page);
  await snap(page, 'customers-export');
  const [download] = await Promise.all([page.waitForEvent('download'), exportLink.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('id,name,display_name,tenant_name,email,total_licenses,active_licenses,azure_tenant_id,created_at');
  expect(lines.some((line) => line.includes('Contoso Ltd'))).toBeTruthy();
  expect(lines.some((line) => line.includes('Woodgrove Bank'))).toBeFalsy();
});

test('sub-tenants listed through GDAP carry a GDAP label', async ({ page }) => {
  const list = await openCustomerList(page, ADMIN);
  await expect(azureRow(list, 'Tailspin Toys').getByTestId('gdap-label')).toContainText('GDAP');
  await expect(azureRow(list, 'Alpine Ski House').getByTestId('gdap-label')).toHaveCount(0);
  await snap(page, 'gdap');
});

test('a Link the server refuses says why next to its row', async ({ page }) => {
  await signIn(page, ADMIN);
  await createThroughApi(page, 'Nod Publishers Ltd', 'it@nod-publishers.example');
  const list = await openCustomerList(page, null);
  const row = azureRow(list, 'Nod Publishers');
  await expect(row.getByTestId('azure-match')).toContainText('Matches Nod Publishers Ltd (by name)');
  // Another customer takes the sub-tenant's tenant ID while the grid is open.
  const response = await page.request.post('/api/v1/customers', {
    data: { name: 'Nod Elsewhere', total_licenses: 1, email: 'it@nod-elsewhere.example', azure_tenant_id: 'e1519664-efca-5f99-a422-a8228a0d0e85' },
  });
  expect(response.status(), await response.text()).toBe(201);
  await row.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(row.getByTestId('azure-match-error')).toBeVisible();
  await expect(row.getByTestId('azure-match-error')).toContainText(/tenant ID/i);
  await expectAccessible(page);
  await snap(page, 'link-refused');
});
