import { expect, test } from '@playwright/test';
import {
  ADMIN,
  DEMO_CLIENT_ID,
  DEMO_SECRET,
  DEMO_TENANT_ID,
  NO_TENANT_ID_TEXT,
  atStep,
  expectAccessible,
  expectSecretNowhere,
  movingTheWizard,
  press,
  recordUrls,
  setTenantId,
  setWizard,
  signIn,
  signOut,
  wizardPanel,
  wizardProgress,
} from './onboarding-helpers';

// The demo server is shared by every test of a run: each test puts the demo admin's wizard (and
// the reseller's tenant ID) into the state it starts from, through the API.
test.beforeEach(async ({ request }) => {
  await setWizard(request, ADMIN, 'in_progress', 1);
});

test('Skip on step 3 jumps to the Azure login, and Back returns to step 3', async ({ page, request }) => {
  await setTenantId(request, null);
  await signIn(page, ADMIN);
  await atStep(page, 1, 'skip');
  await press(page, 'Start');
  await atStep(page, 2, 'skip');
  await expect(page).toHaveURL(/\/endpoint-settings\/windows-gp$/);
  await press(page, 'Next');
  await atStep(page, 3, 'skip');
  await press(page, 'Skip');
  await atStep(page, 9, 'skip');
  await expect(page).toHaveURL(/\/guide\/azure-login$/);
  await press(page, 'Back');
  await atStep(page, 3, 'skip');
  await expect(page.getByRole('button', { name: 'Create New Policy' })).toBeVisible();
});

test('Next on step 9 without a tenant ID asks first, Cancel stays and Finish completes the wizard', async ({ page, request }) => {
  await setTenantId(request, null);
  await setWizard(request, ADMIN, 'in_progress', 9, [1, 2, 3]);
  await signIn(page, ADMIN);
  await atStep(page, 9, 'finish');
  await wizardPanel(page).getByRole('button', { name: 'Next' }).click();
  const confirmation = page.getByRole('alertdialog');
  await expect(confirmation).toContainText(NO_TENANT_ID_TEXT);
  await expectAccessible(page);
  await page.screenshot({ path: 'screenshots/wizard-finish-step-09-confirmation.png', fullPage: true });
  await confirmation.getByRole('button', { name: 'Cancel' }).click();
  await atStep(page, 9, 'finish');
  await wizardPanel(page).getByRole('button', { name: 'Next' }).click();
  await press(page, 'Finish');
  await expect(wizardPanel(page)).toHaveCount(0);
  expect(await wizardProgress(request, ADMIN)).toMatchObject({ status: 'completed', step: 9 });
  await expect(page.getByRole('link', { name: 'MSP Onboarding' })).toHaveCount(0);
});

test('a dismissed wizard does not open again on the next sign-in', async ({ page, request }) => {
  await signIn(page, ADMIN);
  await atStep(page, 1, 'dismiss');
  await press(page, 'Close the onboarding wizard');
  await expect(wizardPanel(page)).toHaveCount(0);
  // The wizard opened by itself after sign-in, so focus returns to the page's heading.
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeFocused();
  expect(await wizardProgress(request, ADMIN)).toMatchObject({ status: 'dismissed' });
  await signOut(page);
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await expect(wizardPanel(page)).toHaveCount(0);
});

test('Launch Onboarding Wizard on the tab returns to the home page and restarts at step 1', async ({ page, request }) => {
  await setTenantId(request, DEMO_TENANT_ID);
  await setWizard(request, ADMIN, 'dismissed', 4, [1, 2, 3]);
  await signIn(page, ADMIN);
  await expect(wizardPanel(page)).toHaveCount(0);
  await page.getByRole('link', { name: 'Guide' }).click();
  await page.getByRole('link', { name: 'MSP Onboarding' }).click();
  await expect(page.getByRole('heading', { name: 'MSP Onboarding', level: 1 })).toBeVisible();
  await movingTheWizard(page, () => page.getByRole('button', { name: 'Launch Onboarding Wizard' }).click());
  await atStep(page, 1, 'relaunch');
  await expect(page).toHaveURL(/\/$/);
  expect(await wizardProgress(request, ADMIN)).toMatchObject({ status: 'in_progress', step: 1, history: [] });
});

test('a reload in the middle of the wizard resumes at the saved step, and Back still knows the way', async ({ page }) => {
  await signIn(page, ADMIN);
  await atStep(page, 1, 'reload');
  await press(page, 'Start');
  await press(page, 'Next');
  await atStep(page, 3, 'reload');
  await page.reload();
  await atStep(page, 3, 'reload');
  await expect(page).toHaveURL(/\/endpoint-settings\/windows-gp$/);
  await press(page, 'Back');
  await atStep(page, 2, 'reload');
});

test('keyboard focus stays inside the wizard and the control it points at, and returns after closing', async ({ page }) => {
  await signIn(page, ADMIN);
  await atStep(page, 1, 'keyboard');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Close the onboarding wizard' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Start' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Close the onboarding wizard' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('button', { name: 'Start' })).toBeFocused();
  await page.keyboard.press('Enter');
  await atStep(page, 2, 'keyboard');
  // Step 2 points at the real switch: Tab reaches it, Space turns it on and saves it.
  await page.keyboard.press('Tab');
  const distribution = page.getByRole('switch', { name: 'Reseller Master GPs Distribution' });
  await expect(distribution).toBeFocused();
  const wanted = !(await distribution.isChecked());
  await page.keyboard.press('Space');
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(distribution).toBeChecked({ checked: wanted });
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(
      () => !!document.activeElement?.closest('#wizard-panel, .spotlit'),
    );
    expect(inside).toBe(true);
  }
  await page.getByRole('button', { name: 'Close the onboarding wizard' }).focus();
  await page.keyboard.press('Enter');
  await expect(wizardPanel(page)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Windows GP' })).toBeFocused();
});

test('the time until the sign-in form is usable after navigation is measured and printed', async ({ page }) => {
  await page.goto('/', { waitUntil: 'commit' });
  const usableAt = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const check = () => {
          const email = document.getElementById('login-email') as HTMLInputElement | null;
          if (email && !email.disabled) resolve(performance.now());
          else requestAnimationFrame(check);
        };
        check();
      }),
  );
  await expect(page.getByLabel('E-mail')).toBeEditable();
  const navigation = await page.evaluate(() => {
    const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { responseEnd: entry.responseEnd, domContentLoaded: entry.domContentLoadedEventEnd, load: entry.loadEventEnd };
  });
  const wasm = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('.wasm'))
      .map((entry) => (entry as PerformanceResourceTiming).responseEnd)[0],
  );
  console.log(
    `time to interactive: sign-in form usable ${usableAt.toFixed(0)} ms after navigation ` +
      `(HTML received ${navigation.responseEnd.toFixed(0)} ms, DOMContentLoaded ${navigation.domContentLoaded.toFixed(0)} ms, ` +
      `load ${navigation.load.toFixed(0)} ms, wasm received ${wasm?.toFixed(0)} ms); target 1000 ms, reported, not asserted`,
  );
  expect(Number.isFinite(usableAt) && usableAt >= navigation.responseEnd).toBe(true);
});

test('the whole wizard: a policy created and turned on, the tenant ID saved, credentials entered, the customer list and Done', async ({ page, request }) => {
  // Twelve steps, each checked with axe and photographed, plus a customer created: longer than one page.
  test.setTimeout(120_000);
  await setTenantId(request, null);
  const urls = recordUrls(page);
  const policyName = `Workstations ${Date.now()}`;
  await signIn(page, ADMIN);
  await atStep(page, 1, 'full');
  await press(page, 'Start');
  await atStep(page, 2, 'full');
  const distribution = page.getByRole('switch', { name: 'Reseller Master GPs Distribution' });
  await expect(distribution).toBeEnabled();
  if (!(await distribution.isChecked())) {
    await distribution.check();
    await expect(page.getByText('Saved.')).toBeVisible();
  }
  await press(page, 'Next');
  await atStep(page, 3, 'full');
  await movingTheWizard(page, () => page.getByRole('button', { name: 'Create New Policy' }).click());
  await atStep(page, 4, 'full');
  const nameField = page.getByLabel('Policy Name');
  await wizardPanel(page).getByRole('button', { name: 'Next' }).click();
  await expect(wizardPanel(page)).toContainText('Enter a valid policy name first.');
  await nameField.fill('x'.repeat(101));
  await expect(page.locator('#policy-name-problem')).toHaveText('At most 100 characters are allowed.');
  await nameField.fill(policyName);
  await expect(page.locator('#policy-name-problem')).toHaveText('');
  await press(page, 'Next');
  await atStep(page, 5, 'full');
  await movingTheWizard(page, () => page.getByRole('button', { name: 'Create GP' }).click());
  await atStep(page, 6, 'full');
  await press(page, 'Next');
  await atStep(page, 7, 'full');
  const newPolicy = page.getByRole('switch', { name: policyName });
  await expect(newPolicy).not.toBeChecked();
  await movingTheWizard(page, () => newPolicy.check());
  await atStep(page, 8, 'full');
  await press(page, 'Next');
  await atStep(page, 9, 'full');
  const tenantField = page.getByLabel('Tenant ID', { exact: true });
  await expect(page.getByRole('button', { name: 'Update' })).toBeEnabled();
  await tenantField.fill('not-a-guid');
  await expect(page.locator('#tenant-id-problem')).toContainText('A tenant ID is a GUID');
  await tenantField.fill(DEMO_TENANT_ID.toUpperCase());
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page.getByText('Tenant ID saved.')).toBeVisible();
  await expect(tenantField).toHaveValue(DEMO_TENANT_ID);
  await press(page, 'Next');
  await atStep(page, 10, 'full');
  await movingTheWizard(page, () => page.getByRole('link', { name: 'MSP Onboarding' }).click());
  await atStep(page, 11, 'full');
  const seeList = page.getByRole('button', { name: 'See customer list' });
  await expect(seeList).toBeDisabled();
  await page.getByLabel('Client ID', { exact: true }).fill(DEMO_CLIENT_ID);
  await expect(seeList).toBeDisabled();
  await page.getByLabel('Secret Value', { exact: true }).fill(DEMO_SECRET);
  await expect(seeList).toBeEnabled();
  await press(page, 'Next');
  const list = page.getByRole('dialog', { name: 'Customer list' });
  await expect(list).toBeVisible();
  const creatable = list
    .getByTestId('azure-grid')
    .locator('button:not([disabled])', { hasText: 'Create customer' })
    .first();
  await expect(creatable).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'screenshots/wizard-full-step-12.png', fullPage: true });
  await creatable.click();
  const form = page.getByRole('dialog', { name: 'Create customer from Azure' });
  await form.getByRole('spinbutton', { name: 'Total Licenses' }).fill('10');
  await form.getByRole('textbox', { name: 'Email' }).fill('it@azure-row.example');
  await form.getByRole('button', { name: 'Create customer' }).click();
  await expect(form.getByTestId('licence-key')).toBeVisible();
  await page.screenshot({ path: 'screenshots/wizard-full-step-12-customer-created.png', fullPage: true });
  await form.getByRole('button', { name: 'Close' }).click();
  await expect(form).toHaveCount(0);
  await movingTheWizard(page, () => list.getByRole('button', { name: 'Done' }).click());
  await expect(list).toHaveCount(0);
  await expect(wizardPanel(page)).toHaveCount(0);
  expect(await wizardProgress(request, ADMIN)).toMatchObject({ status: 'completed', step: 12 });
  await expectSecretNowhere(page, DEMO_SECRET, urls);
  await page.reload();
  await expect(page.getByLabel('Secret Value', { exact: true })).toHaveValue('');
  await expectSecretNowhere(page, DEMO_SECRET, urls);
});
