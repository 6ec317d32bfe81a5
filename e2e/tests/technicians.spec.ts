import { expect, test, type Page } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, setWizard, signIn, signOut } from './onboarding-helpers';
import {
  API_ONLY_USER,
  MFA_SECRET,
  MFA_USER,
  NEW_PASSWORD,
  currentStep,
  freshCode,
  readyUser,
  snap,
  submitSignIn,
  totp,
  uniqueEmail,
  userById,
} from './technicians-helpers';

// SPEC §12: technicians and their sign-in. Every test makes its own users, so the order does not
// matter; a few wait for a fresh 30-second TOTP step, hence the longer limit.
test.describe.configure({ timeout: 90_000 });

const codeField = (page: Page) => page.getByLabel('Code from your authenticator app or a recovery code');

async function closeWizardIfOpen(page: Page) {
  const close = page.getByRole('button', { name: 'Close the onboarding wizard' });
  if (await close.isVisible()) await close.click();
}

async function openUsers(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
}

test('a technician with MFA signs in with a code from the authenticator app and sees only itself', async ({ page }) => {
  await submitSignIn(page, MFA_USER, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await expect(codeField(page)).toBeFocused();
  await expectAccessible(page);
  await snap(page, 'mfa-code-step');

  await codeField(page).fill(totp(MFA_SECRET, currentStep() + 50));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not right');

  await codeField(page).fill(await freshCode(MFA_SECRET));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(MFA_USER);
  await closeWizardIfOpen(page);

  await openUsers(page);
  const rows = page.getByTestId('users-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(MFA_USER);
  await expect(page.getByRole('button', { name: 'Invite user' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'users-as-technician');
});

test('an account without UI access is told why it cannot sign in', async ({ page }) => {
  await submitSignIn(page, API_ONLY_USER, PASSWORD);
  await expect(page.getByRole('alert')).toContainText('UI access is off');
  await expect(page.getByRole('alert')).toContainText('API tokens only');
  await expect(page.getByTestId('signed-in-user')).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'ui-access-off');
});

test('an admin invites a user, who opens the link in a fresh browser, sets a password and signs in', async ({ page, browser, request }) => {
  await setWizard(request, ADMIN, 'dismissed');
  await signIn(page, ADMIN);
  await openUsers(page);
  await page.getByRole('button', { name: 'Invite user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a user' });
  await expect(dialog).toBeVisible();
  const email = uniqueEmail('invited');
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Display name (optional)').fill('Invited Tech');
  await dialog.getByLabel('View customers').check();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();

  const created = page.getByRole('dialog', { name: 'Invitation created' });
  await expect(created).toBeVisible();
  const link = await created.getByTestId('invitation-url').inputValue();
  expect(link).toMatch(/\/accept-invitation#token=.+/);
  await expectAccessible(page);
  await snap(page, 'invitation-link');
  await created.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Invited');

  const fresh = await browser.newContext();
  const invitee = await fresh.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole('heading', { name: 'Accept your invitation' })).toBeVisible();
  await invitee.getByLabel('New password', { exact: true }).fill('too short');
  await invitee.getByLabel('Repeat the new password').fill('too short');
  await invitee.getByRole('button', { name: 'Set password' }).click();
  await expect(invitee.locator('.field-problem')).toContainText('12');
  await invitee.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await invitee.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await expectAccessible(invitee);
  await snap(invitee, 'accept-invitation');
  await invitee.getByRole('button', { name: 'Set password' }).click();
  await expect(invitee.getByRole('heading', { name: 'Your password is set' })).toBeVisible();
  await invitee.getByRole('link', { name: 'Sign in' }).click();
  await invitee.getByLabel('E-mail').fill(email);
  await invitee.getByLabel('Password').fill(NEW_PASSWORD);
  await invitee.getByRole('button', { name: 'Sign in' }).click();
  await expect(invitee.getByTestId('signed-in-user')).toHaveText(email);

  // The link works once.
  await invitee.goto(link);
  await invitee.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await invitee.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await invitee.getByRole('button', { name: 'Set password' }).click();
  await expect(invitee.getByRole('alert')).toContainText('no longer works');
  await fresh.close();
});

test('a user invited with Use MFA sees only the enrolment until an app is set up, then signs in with a recovery code', async ({ page, request }) => {
  const user = await readyUser(request, 'enrolling', PASSWORD, { use_mfa: true });
  await submitSignIn(page, user.email, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Your account uses MFA: set up an authenticator app to continue' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await expectAccessible(page);
  await snap(page, 'forced-enrolment');

  await page.getByLabel('Code from the app').fill(totp(secret!, currentStep() + 50));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.locator('#totp-confirm-problem')).toContainText('not the one your app shows');
  await page.getByLabel('Code from the app').fill(await freshCode(secret!));
  await page.getByRole('button', { name: 'Confirm' }).click();

  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent())!.trim();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'recovery-codes');
  await page.getByRole('button', { name: 'I have saved my codes: continue' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(user.email);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await signOut(page);
  await submitSignIn(page, user.email, PASSWORD);
  await codeField(page).fill(recoveryCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(user.email);
});

test('an admin edits a user through the pencil, gives an integration account a token, deactivates, reactivates and deletes it', async ({ page, request }) => {
  const allClaims = ['view_endpoint_settings', 'edit_endpoint_settings', 'manage_customer_settings', 'view_customers', 'create_customer'];
  const user = await readyUser(request, 'edited', PASSWORD, { claims: allClaims });
  await setWizard(request, ADMIN, 'dismissed');
  await signIn(page, ADMIN);
  await openUsers(page);
  await page.getByRole('searchbox', { name: 'Search users' }).fill(user.email);
  await page.getByRole('searchbox', { name: 'Search users' }).press('Enter');
  const row = page.getByRole('row', { name: new RegExp(user.email) });
  await expect(row).toContainText('Active');
  await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(1);

  await row.getByRole('button', { name: `Edit ${user.email}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${user.email}` });
  await expect(dialog.getByLabel('Create customers')).toBeChecked();
  await dialog.getByLabel('Create customers').uncheck();
  await dialog.getByLabel('Allow access to UI').uncheck();
  await expectAccessible(page);
  await snap(page, 'edit-user');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Changes to ${user.email} saved.` })).toBeVisible();
  const edited = await userById(request, user.id);
  expect(edited.claims).toEqual(allClaims.filter((claim) => claim !== 'create_customer'));
  expect(edited.allow_ui_access).toBe(false);

  await row.getByRole('button', { name: `API token ${user.email}` }).click();
  const tokenDialog = page.getByRole('dialog', { name: `API token for ${user.email}` });
  await tokenDialog.getByLabel('Token name').fill('RMM plug-in');
  await tokenDialog.getByLabel('Expires after').selectOption('30');
  await tokenDialog.getByRole('button', { name: 'Create token' }).click();
  await expect(tokenDialog.getByTestId('new-token')).toHaveText(/^msp_/);
  await tokenDialog.getByRole('button', { name: 'Close' }).click();

  await row.getByRole('button', { name: `Deactivate ${user.email}` }).click();
  await expect(row).toContainText('Deactivated');
  const refused = await request.post('/api/v1/auth/login', { data: { email: user.email, password: PASSWORD } });
  expect(refused.status()).toBe(403);
  await expectAccessible(page);
  await snap(page, 'user-deactivated');
  await row.getByRole('button', { name: `Reactivate ${user.email}` }).click();
  await expect(row).toContainText('Active');

  await row.getByRole('button', { name: `Delete ${user.email}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${user.email}?` });
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Delete user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${user.email} was deleted.` })).toBeVisible();
  await expect(row).toHaveCount(0);
});

test('a user changes its password on the profile page', async ({ page, request }) => {
  const user = await readyUser(request, 'profile');
  await submitSignIn(page, user.email, PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toHaveText(user.email);
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();

  await page.getByLabel('Current password').fill('not-the-password');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toContainText('The current password is not right');

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
  await expectAccessible(page);
  await snap(page, 'profile');

  await signOut(page);
  await submitSignIn(page, user.email, PASSWORD);
  await expect(page.getByRole('alert')).toContainText('Wrong e-mail or password');
  await submitSignIn(page, user.email, NEW_PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toHaveText(user.email);
});

test('a user sets up an authenticator app on the profile page and makes new recovery codes; an admin resets it', async ({ page, request }) => {
  const user = await readyUser(request, 'self-enrolled');
  await submitSignIn(page, user.email, PASSWORD);
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByTestId('mfa-enrolled')).toHaveText('Not set up');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = await page.getByTestId('totp-secret').getAttribute('data-secret');
  await page.getByLabel('Code from the app').fill(await freshCode(secret!));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  const first = await page.getByTestId('recovery-codes').getByRole('listitem').first().textContent();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('mfa-enrolled')).toHaveText('Set up');

  await page.getByRole('button', { name: 'Make new recovery codes' }).click();
  const renewed = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(renewed).toHaveCount(10);
  await expect(renewed.first()).not.toHaveText(first!);
  await expectAccessible(page);
  await snap(page, 'profile-new-recovery-codes');
  await page.getByRole('button', { name: 'Done' }).click();
  await signOut(page);

  await setWizard(request, ADMIN, 'dismissed');
  await signIn(page, ADMIN);
  await openUsers(page);
  await page.getByRole('searchbox', { name: 'Search users' }).fill(user.email);
  const row = page.getByRole('row', { name: new RegExp(user.email) });
  await row.getByRole('button', { name: `Reset MFA ${user.email}` }).click();
  await page.getByRole('dialog', { name: `Reset MFA of ${user.email}?` }).getByRole('button', { name: 'Reset MFA' }).click();
  await expect(page.getByRole('status').filter({ hasText: `The authenticator app of ${user.email} was removed.` })).toBeVisible();
  await expect(row.getByRole('button', { name: `Reset MFA ${user.email}` })).toHaveCount(0);
  expect((await userById(request, user.id)).mfa_enrolled).toBe(false);
});
