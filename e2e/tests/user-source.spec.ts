// Users → User source (SPEC §16) in the browser, as admin@demo-entra.test, the only user of Demo
// Entra MSP, whose directory is the demo's fake Entra (demo-entra.test): Save before the
// connection is authorised, Authorize cancelled and accepted on the fake's consent page, the
// federated domain shown disabled with its reason, the username prefix checked and previewed as
// it is typed, the switch to Entra, invitations checked against the directory, Alex disabled in
// the fake and offboarded by Sync now while signed in (his next click lands on the sign-in page),
// then enabled again in the fake and reactivated by the admin from "Enabled again in Microsoft
// Entra".
//
// The tests run in order, each from where the one before left off; what they change stays (Demo
// Entra MSP on Entra, Alex invited and reactivated): the spec runs once per fresh data directory,
// which every `npx playwright test` makes. No other spec uses Demo Entra MSP; the fake's Alex is
// enabled again in `finally`, since every spec shares the server and its fake.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, request as http, test, type APIRequestContext, type Page } from '@playwright/test';
import { PASSWORD, expectAccessible, setWizard, signIn, technician } from './onboarding-helpers';

// The fake Entra's pages have a certificate made at start-up that only the server trusts.
test.use({ ignoreHTTPSErrors: true });
// Each test goes on from the state the one before left: after a failure, the rest is skipped.
test.describe.configure({ mode: 'serial' });

const ENTRA_ADMIN = 'admin@demo-entra.test';
const ALEX = 'alex@demo-entra.test';
const ALEX_OBJECT_ID = 'a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a02';

async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/user-source-${name}.png`, fullPage: true });
}

/** The demo's fake Microsoft Graph and Entra (self-signed), whose accounts a test may change. */
async function fakeEntra() {
  const url = readFileSync(join(process.env.E2E_DATA_DIR ?? '', 'demo-fake-graph-url'), 'utf8').trim();
  return http.newContext({ baseURL: url, ignoreHTTPSErrors: true });
}

async function setEnabled(fake: APIRequestContext, objectId: string, enabled: boolean) {
  const response = await fake.patch(`/_fake/users/${objectId}`, { data: { account_enabled: enabled } });
  expect(response.status(), await response.text()).toBe(204);
}

async function entraAdminHeaders(request: APIRequestContext) {
  const response = await request.post('/api/v1/auth/login', { data: { email: ENTRA_ADMIN, password: PASSWORD } });
  expect(response.ok(), await response.text()).toBeTruthy();
  return { authorization: `Bearer ${(await response.json()).access_token}` };
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('a technician has no User source entry and the page says admins only', async ({ page, request }) => {
  const TECHNICIAN = technician('create_customer');
  await setWizard(request, TECHNICIAN, 'dismissed', 1);
  await signIn(page, TECHNICIAN);
  await expect(nav(page).getByRole('link', { name: 'Users' })).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'User source' })).toHaveCount(0);
  await page.goto('/user-source');
  await expect(page.getByRole('heading', { name: 'User source', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('Only admins choose where the users of your tenant come from.');
  await expect(page.getByRole('button', { name: 'Authorize' })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, 'technician');
});

test('the Entra MSP authorises its directory, switches to it, invites Alex and sees Sync now offboard him', async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(180_000);
  const fake = await fakeEntra();
  const alexContext = await browser.newContext();
  try {
    await setWizard(request, ENTRA_ADMIN, 'dismissed', 1);
    await signIn(page, ENTRA_ADMIN);
    await nav(page).getByRole('link', { name: 'User source' }).click();
    await expect(page).toHaveURL(/\/user-source$/);
    await expect(page.getByRole('heading', { name: 'User source', level: 1 })).toBeVisible();
    await expect(page.getByTestId('current-source')).toHaveText('Users come from: Local');
    await expect(page.getByTestId('connection')).toHaveText('Not authorised yet.');
    await expect(page.getByRole('radio', { name: 'Local' })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Microsoft Entra ID' })).toHaveAccessibleDescription(/it has 1\.$/);
    await expectAccessible(page);
    await snap(page, 'local');

    // Entra before the connection is authorised: no domains to choose, and Save says why.
    await page.getByRole('radio', { name: 'Microsoft Entra ID' }).check();
    const domains = page.getByRole('group', { name: 'Onboarding domain' });
    await expect(domains.getByRole('alert')).toHaveText('Authorize the connection first: the domains come from your Entra directory.');
    await page.getByRole('button', { name: 'Save' }).click();
    const sourceGroup = page.getByRole('group', { name: 'User source' });
    await expect(sourceGroup.locator('#source-problem')).toHaveText('Authorise the Microsoft Entra connection first.');
    await expect(page.getByTestId('current-source')).toHaveText('Users come from: Local');
    await expectAccessible(page);
    await snap(page, 'not-connected');

    // Cancel on Entra's consent page: back here with Entra's words.
    await page.getByRole('button', { name: 'Authorize' }).click();
    await expect(page.getByRole('heading', { name: 'Permissions requested' })).toBeVisible();
    await snap(page, 'fake-consent');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/user-source$/);
    const refusal = page.getByRole('alert').filter({ hasText: 'not authorised' });
    await expect(refusal).toHaveText('The connection was not authorised. AADSTS65004: User declined to consent to access the app.');
    await expect(page.getByTestId('connection')).toHaveText('Not authorised yet.');
    await expectAccessible(page);
    await snap(page, 'consent-refused');

    // Accepted as Casey Morgan, an administrator of the directory.
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.getByRole('link', { name: `Accept as Casey Morgan ${ENTRA_ADMIN}` }).click();
    await expect(page).toHaveURL(/\/user-source$/);
    await expect(page.getByRole('status').filter({ hasText: 'accepted the consent' })).toHaveText(
      'Microsoft Entra accepted the consent: the connection is authorised.',
    );
    const connection = page.getByTestId('connection');
    await expect(connection).toHaveText(new RegExp(`^Authorised by ${ENTRA_ADMIN} on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`));
    await expect(connection.locator('svg.tick')).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expectAccessible(page);
    await snap(page, 'authorised');

    // The directory's domains: the federated one cannot be chosen, and says why.
    await page.getByRole('radio', { name: 'Microsoft Entra ID' }).check();
    const federated = domains.getByRole('radio', { name: 'legacy.demo-entra.test' });
    await expect(federated).toBeDisabled();
    await expect(federated).toHaveAccessibleDescription(/^Cannot be chosen. The domain is federated: its users sign in through another identity provider/);
    await expect(domains.getByRole('radio', { name: 'demoentra.onmicrosoft.com' })).toBeEnabled();
    const managed = domains.getByRole('radio', { name: 'demo-entra.test', exact: true });
    await expect(managed).toHaveAccessibleDescription("The directory's default domain.");
    await managed.check();

    // The prefix: the domain crate's rule as it is typed, and the username it makes.
    const prefix = page.getByLabel('Username prefix');
    await expect(prefix).toHaveValue('msp-');
    await expect(page.getByTestId('jit-preview')).toHaveText('Example: alex@demo-entra.test → msp-alex');
    await prefix.fill('1jit');
    await expect(prefix).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#jit-prefix-problem')).toHaveText('The prefix starts with a letter (a–z).');
    await expect(page.getByTestId('jit-preview')).toHaveText('');
    await expectAccessible(page);
    await snap(page, 'prefix-refused');
    await prefix.fill('jit.');
    await expect(prefix).toHaveAttribute('aria-invalid', 'false');
    await expect(page.getByTestId('jit-preview')).toHaveText('Example: alex@demo-entra.test → jit.alex');
    await snap(page, 'entra-chosen');

    // Save: Entra is the source, and its first sync runs at once.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved: users come from Microsoft Entra ID.');
    await expect(page.getByTestId('current-source')).toHaveText('Users come from: Microsoft Entra ID');
    const sync = page.getByRole('region', { name: 'Offboarding sync' });
    await expect(sync.getByTestId('sync-status')).toHaveText('The sync ended: no users deactivated.', { timeout: 30_000 });
    await expect(sync.getByTestId('last-sync-result')).toHaveText('Succeeded');
    await expect(sync.getByTestId('last-sync-deactivated')).toHaveText('No users');
    await expect(sync.getByTestId('next-sync')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await expectAccessible(page);
    await snap(page, 'entra-saved');

    // The server refuses the federated domain too, in the same words.
    const headers = await entraAdminHeaders(request);
    const refused = await request.put('/api/v1/settings/user-source', {
      data: { source: 'azuread', onboarding_domain: 'legacy.demo-entra.test' },
      headers,
    });
    expect(refused.status()).toBe(422);
    expect((await refused.json()).errors[0]).toMatchObject({ field: 'onboarding_domain', code: 'federated_domain' });

    // Invitations: only accounts of the directory.
    await nav(page).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite a user' });
    await invite.getByLabel('E-mail').fill('nobody@demo-entra.test');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await expect(invite.locator('#invite-email-problem')).toHaveText('Your Microsoft Entra directory has no user with this e-mail.');
    await expect(invite.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page);
    await snap(page, 'invite-not-in-directory');
    await invite.getByLabel('E-mail').fill(ALEX);
    await invite.getByLabel('Display name (optional)').fill('Alex Kim');
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    const invited = page.getByRole('dialog', { name: 'Invitation created' });
    const invitationUrl = await invited.getByTestId('invitation-url').inputValue();
    await invited.getByRole('button', { name: 'Done' }).click();
    const alexRow = page.getByRole('row', { name: new RegExp(ALEX) });
    await expect(alexRow).toContainText('Entra ID');

    // Alex accepts the invitation and signs in, in his own browser.
    const token = new URL(invitationUrl).hash.replace(/^#token=/, '');
    const accepted = await request.post('/api/v1/auth/accept-invitation', { data: { token, password: PASSWORD } });
    expect(accepted.status(), await accepted.text()).toBe(204);
    const alexPage = await alexContext.newPage();
    await signIn(alexPage, ALEX);

    // Alex is disabled in Entra; Sync now deactivates him.
    await setEnabled(fake, ALEX_OBJECT_ID, false);
    await nav(page).getByRole('link', { name: 'User source' }).click();
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(sync.getByTestId('sync-status')).toHaveText('The sync ended: 1 user deactivated.', { timeout: 70_000 });
    await expect(sync.getByTestId('last-sync-deactivated')).toHaveText('1 user');
    await expect(sync.getByTestId('last-sync-result')).toHaveText('Succeeded');
    await expectAccessible(page);
    await snap(page, 'synced');

    await nav(page).getByRole('link', { name: 'Users' }).click();
    await expect(alexRow).toContainText('Deactivated');
    await snap(page, 'alex-deactivated');

    // Alex's session ended with the deactivation: his next click finds out and lands on the
    // sign-in page, which says why; signing in again is refused since he is deactivated.
    const me = await alexContext.request.get('/api/v1/me');
    expect(me.status()).toBe(401);
    await nav(alexPage).getByRole('link', { name: 'Users' }).click();
    await expect(alexPage.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
    await expect(alexPage.getByRole('alert')).toHaveText('Your session ended; sign in again.');
    await expect(alexPage).toHaveURL(/^http:\/\/[^/]+\/$/);
    await expectAccessible(alexPage);
    await snap(alexPage, 'alex-next-click');
    await alexPage.getByLabel('E-mail').fill(ALEX);
    await alexPage.getByLabel('Password').fill(PASSWORD);
    await alexPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(alexPage.getByRole('alert')).toHaveText(/^This account is deactivated/);
    await alexPage.reload();
    await expect(alexPage.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
    await expect(alexPage.getByRole('alert')).toHaveCount(0);

    // The Jobs page lists the tenant's sync.
    await nav(page).getByRole('link', { name: 'Jobs', exact: true }).click();
    await expect(page.getByRole('rowheader', { name: /^User source sync/ })).toBeVisible();
  } finally {
    await setEnabled(fake, ALEX_OBJECT_ID, true);
    await alexContext.close();
    await fake.dispose();
  }
});

test('Alex, enabled again in Entra, waits under “Enabled again in Microsoft Entra” until the admin reactivates him', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const fake = await fakeEntra();
  try {
    // Where the test before left off: Alex invited, disabled in Entra and deactivated here by
    // Sync now. Entra enables him again; he stays deactivated until the next sync sees it.
    await setEnabled(fake, ALEX_OBJECT_ID, true);
    await signIn(page, ENTRA_ADMIN);
    await nav(page).getByRole('link', { name: 'Users' }).click();
    const usersRow = page.getByRole('row', { name: new RegExp(ALEX) });
    await expect(usersRow).toContainText('Deactivated');
    await nav(page).getByRole('link', { name: 'User source' }).click();
    const reenabled = page.getByRole('region', { name: 'Enabled again in Microsoft Entra', exact: true });
    const sync = page.getByRole('region', { name: 'Offboarding sync' });
    await expect(sync.getByTestId('last-sync-deactivated')).toHaveText('1 user');
    await expect(reenabled).toHaveCount(0);

    // Sync now sees Alex enabled again: he is listed, and not reactivated.
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(sync.getByTestId('sync-status')).toHaveText('The sync ended: no users deactivated.', { timeout: 70_000 });
    const table = reenabled.getByRole('table');
    await expect(table.getByRole('columnheader')).toHaveText(['Name', 'E-mail', 'Why deactivated', 'Deactivated', 'Enabled again', 'Action']);
    const alexRow = table.getByRole('row', { name: new RegExp(ALEX) });
    await expect(alexRow.getByRole('rowheader')).toHaveText(ALEX);
    const when = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;
    await expect(alexRow.getByRole('cell')).toHaveText(['Alex Kim', 'Disabled in Microsoft Entra.', when, when, 'Reactivate']);
    const reactivate = alexRow.getByRole('button', { name: `Reactivate ${ALEX}`, exact: true });
    await expectAccessible(page);
    await snap(page, 'reenabled-listed');

    // Entra disables him again before the admin decides: the server asks the directory and
    // refuses, and the row says why.
    await setEnabled(fake, ALEX_OBJECT_ID, false);
    await reactivate.click();
    const refusal = alexRow.getByRole('alert');
    await expect(refusal).toHaveText('This user is disabled in your Microsoft Entra directory: enable it there first.');
    await expect(reactivate).toHaveAccessibleDescription('This user is disabled in your Microsoft Entra directory: enable it there first.');
    await expect(reactivate).toBeEnabled();
    await expectAccessible(page);
    await snap(page, 'reenabled-refused');

    // Enabled in Entra once more: Reactivate brings him back and he leaves the list.
    await setEnabled(fake, ALEX_OBJECT_ID, true);
    await reactivate.click();
    await expect(reenabled.getByRole('status')).toHaveText(`${ALEX} was reactivated.`);
    await expect(reenabled.getByRole('table')).toHaveCount(0);
    await expect(reenabled.getByRole('heading', { name: 'Enabled again in Microsoft Entra' })).toBeFocused();
    await expectAccessible(page);
    await snap(page, 'reenabled-reactivated');
    await page.reload();
    await expect(page.getByTestId('current-source')).toHaveText('Users come from: Microsoft Entra ID');
    await expect(reenabled).toHaveCount(0);

    // Users shows him active (he signed in before, so no longer Invited), and he may sign in.
    await nav(page).getByRole('link', { name: 'Users' }).click();
    await expect(usersRow.getByRole('cell').nth(4)).toHaveText('Active');
    await expect(usersRow.getByRole('button', { name: `Deactivate ${ALEX}` })).toBeVisible();
    await expectAccessible(page);
    await snap(page, 'alex-reactivated');
    const signedIn = await request.post('/api/v1/auth/login', { data: { email: ALEX, password: PASSWORD } });
    expect(signedIn.status(), await signedIn.text()).toBe(200);
  } finally {
    await setEnabled(fake, ALEX_OBJECT_ID, true);
    await fake.dispose();
  }
});
