import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  DEMO_CLIENT_ID,
  DEMO_SECRET,
  DEMO_TENANT_ID,
  atStep,
  expectAccessible,
  expectSecretNowhere,
  recordUrls,
  press,
  setTenantId,
  setWizard,
  signIn,
  technician,
  wizardPanel,
} from './onboarding-helpers';

// SPEC §2: what each demo technician, missing exactly one claim, sees of the wizard and the pages.

test('without view_endpoint_settings the wizard opens on first sign-in and Start skips steps 2 to 8', async ({ page }) => {
  const user = technician('view_endpoint_settings');
  await signIn(page, user);
  await atStep(page, 1, 'no-view-endpoint-settings');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Endpoint Settings' })).toHaveCount(0);
  await press(page, 'Start');
  await atStep(page, 9, 'no-view-endpoint-settings');
  await expect(page).toHaveURL(/\/guide\/azure-login$/);
  await press(page, 'Back');
  await atStep(page, 1, 'no-view-endpoint-settings');
});

test('without edit_endpoint_settings the Windows GP page is read-only and Next on step 2 jumps to step 9', async ({ page, request }) => {
  const user = technician('edit_endpoint_settings');
  await setWizard(request, user, 'in_progress', 1);
  await signIn(page, user);
  await atStep(page, 1, 'no-edit-endpoint-settings');
  await press(page, 'Start');
  await atStep(page, 2, 'no-edit-endpoint-settings');
  await expect(page.getByRole('switch', { name: 'Reseller Master GPs Distribution' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Create New Policy' })).toHaveCount(0);
  await expect(page.getByTestId('read-only-notice')).toBeVisible();
  await press(page, 'Next');
  await atStep(page, 9, 'no-edit-endpoint-settings');
});

test('without manage_customer_settings there is no wizard, no MSP Onboarding tab and the Azure login is read-only', async ({ page, request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  const user = technician('manage_customer_settings');
  await signIn(page, user);
  await expect(page.getByTestId('onboarding-availability')).toContainText('Manage customer settings');
  await expect(wizardPanel(page)).toHaveCount(0);
  await page.getByRole('link', { name: 'Guide' }).click();
  await expect(page.getByRole('heading', { name: 'Azure Login', level: 1 })).toBeVisible();
  await expect(page.getByTestId('saved-tenant-id')).toHaveText(DEMO_TENANT_ID);
  await expect(page.getByLabel('Tenant ID', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Update' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'MSP Onboarding' })).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/claims-no-manage-customer-settings.png', fullPage: true });
  await page.goto('/guide/msp-onboarding');
  await expect(page.getByRole('heading', { name: 'MSP Onboarding', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Client ID')).toHaveCount(0);
  await expect(wizardPanel(page)).toHaveCount(0);
});

/** Signs in with the wizard closed, opens the MSP Onboarding tab and the customer list. */
async function openCustomerList(page: Page, request: APIRequestContext, user: string) {
  await setTenantId(request, DEMO_TENANT_ID);
  await setWizard(request, user, 'dismissed', 1);
  await signIn(page, user);
  await page.getByRole('link', { name: 'Guide' }).click();
  await page.getByRole('link', { name: 'MSP Onboarding' }).click();
  await page.getByLabel('Client ID', { exact: true }).fill(DEMO_CLIENT_ID);
  await page.getByLabel('Secret Value', { exact: true }).fill(DEMO_SECRET);
  await page.getByRole('button', { name: 'See customer list' }).click();
  const list = page.getByRole('dialog', { name: 'Customer list' });
  await expect(list).toBeVisible();
  return list;
}

test('without view_customers the customer list shows neither grid', async ({ page, request }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, request, technician('view_customers'));
  await expect(list.getByTestId('customers-grid')).toHaveCount(0);
  await expect(list.getByTestId('azure-grid')).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: 'screenshots/claims-no-view-customers.png', fullPage: true });
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});

test('without create_customer the grids are shown but no Create customer button is offered', async ({ page, request }) => {
  const urls = recordUrls(page);
  const list = await openCustomerList(page, request, technician('create_customer'));
  const azure = list.getByTestId('azure-grid');
  await expect(azure.getByRole('row').nth(5)).toBeVisible();
  await expect(list.getByTestId('customers-grid')).toBeVisible();
  await expect(list.getByRole('button', { name: /Create customer/ })).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: 'screenshots/claims-no-create-customer.png', fullPage: true });
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});
