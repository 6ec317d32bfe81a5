import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, DEMO_TENANT_ID, PASSWORD, expectAccessible, setTenantId, setWizard, signIn, signOut } from './onboarding-helpers';
import { adminHeaders, readyUser, snap, submitSignIn } from './technicians-helpers';

// SPEC §14: Duo's Universal Prompt as a second factor, through the demo's fake Duo (HTTPS with
// its own certificate, hence ignoreHTTPSErrors): the Duo step of sign-in and its refusals,
// linking Duo on the profile page, and the Security integrations page. The fake's switches
// (`/_fake/switches`) make Duo deny, fail to answer or sign wrongly; every test resets them.
test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ timeout: 60_000 });

const DUO_USER = 'duo@demo-reseller.test';
// Demo Reseller's Duo Web SDK application on the fake, as its Admin Panel would show it.
const DEMO_DUO_CLIENT_ID = 'DIMSPDEMO0FAKEDUO001';
const DEMO_DUO_SECRET = 'DemoFakeDuoSecretForTestsAndDemosOnly042';
const INTEGRATIONS = '/api/v1/settings/security-integrations';

type Integration = { id: string; name: string; api_hostname: string; enabled: boolean };
type Switches = { deny: boolean; latency_ms: number; unreachable: boolean; wrong_signature: boolean };

async function integrations(request: APIRequestContext): Promise<Integration[]> {
  const response = await request.get(INTEGRATIONS, { headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

let fakeDuoHost: string | undefined;
/** Where the demo's fake Duo listens (a new port at every start of the server). */
async function fakeDuo(request: APIRequestContext): Promise<string> {
  fakeDuoHost ??= (await integrations(request))[0]?.api_hostname;
  expect(fakeDuoHost, 'the demo has a Duo integration').toBeTruthy();
  return fakeDuoHost!;
}

async function setSwitches(request: APIRequestContext, switches: Partial<Switches>) {
  const response = await request.post(`https://${await fakeDuo(request)}/_fake/switches`, { data: switches });
  expect(response.ok(), await response.text()).toBeTruthy();
}

test.beforeAll(async ({ request }) => {
  await fakeDuo(request);
});

test.afterEach(async ({ request }) => {
  await setSwitches(request, { deny: false, latency_ms: 0, unreachable: false, wrong_signature: false });
});

async function closeWizardIfOpen(page: Page) {
  const close = page.getByRole('button', { name: 'Close the onboarding wizard' });
  if (await close.isVisible()) await close.click();
}

/** The password step of the Duo user, up to its Duo step. */
async function toDuoStep(page: Page) {
  await submitSignIn(page, DUO_USER, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
}

/** On the fake Duo's prompt for `email`, having pressed `opener` in the web app. */
async function toPrompt(page: Page, email: string, opener: string) {
  await page.getByRole('button', { name: opener }).click();
  await expect(page.getByRole('heading', { name: 'Verify it’s you' })).toBeVisible();
  await expect(page.getByText(email, { exact: true })).toBeVisible();
}

async function signInWithDuo(page: Page) {
  await toDuoStep(page);
  await toPrompt(page, DUO_USER, 'Continue with Duo');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(DUO_USER);
  await closeWizardIfOpen(page);
}

async function openProfile(page: Page) {
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { name: 'Your profile', level: 1 })).toBeVisible();
}

/** The sign-in page after Duo's way back, with `words` as the reason, and a clean address. */
async function refusedWith(page: Page, words: string) {
  await expect(page.getByRole('heading', { name: 'Sign in to MSP Onboarding' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText(words);
  expect(new URL(page.url()).search).toBe('');
}

test('a technician with Duo linked signs in by approving Duo’s prompt, and sees Duo linked on its profile', async ({ page }) => {
  await toDuoStep(page);
  await expect(page.getByRole('button', { name: 'Continue with Duo' })).toBeFocused();
  // No authenticator app: the code field takes only a recovery code.
  await expect(page.getByLabel('Recovery code')).toBeVisible();
  await expectAccessible(page);
  await snap(page, 'duo-step');

  await toPrompt(page, DUO_USER, 'Continue with Duo');
  await expectAccessible(page);
  await snap(page, 'duo-fake-prompt');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(DUO_USER);
  await closeWizardIfOpen(page);

  await openProfile(page);
  await expect(page.getByTestId('duo-linked')).toHaveText('Linked');
  await expect(page.getByTestId('mfa-enrolled')).toHaveText('Not set up');
  await expect(page.getByRole('button', { name: 'Unlink Duo' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('region', { name: 'Two-step sign-in (MFA)' }).screenshot({ path: 'screenshots/technicians-duo-profile-card.png' });
});

test('Deny in Duo’s prompt returns to the sign-in page saying Duo denied it', async ({ page }) => {
  await toDuoStep(page);
  await toPrompt(page, DUO_USER, 'Continue with Duo');
  await page.getByRole('button', { name: 'Deny' }).click();
  await refusedWith(page, 'Duo denied the sign-in');
  await snap(page, 'duo-denied');
});

test('an answer from Duo whose signature does not verify is refused', async ({ page, request }) => {
  await setSwitches(request, { wrong_signature: true });
  await toDuoStep(page);
  await toPrompt(page, DUO_USER, 'Continue with Duo');
  await page.getByRole('button', { name: 'Approve' }).click();
  await refusedWith(page, 'could not be verified');
});

test('when Duo cannot be reached the Duo step says so, and a recovery code still signs in', async ({ page, request }) => {
  await signInWithDuo(page);
  await openProfile(page);
  await page.getByRole('button', { name: 'Make new recovery codes' }).click();
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recoveryCode = (await codes.first().textContent())!.trim();
  await page.getByRole('button', { name: 'Done' }).click();
  await signOut(page);

  await setSwitches(request, { unreachable: true });
  await toDuoStep(page);
  await page.getByRole('button', { name: 'Continue with Duo' }).click();
  await expect(page.getByRole('alert')).toContainText('Duo cannot be reached');
  await expect(page.getByRole('alert')).toContainText('recovery codes');
  await expect(page.getByRole('button', { name: 'Continue with Duo' })).toBeEnabled();
  await snap(page, 'duo-unreachable');
  await page.getByLabel('Recovery code').fill(recoveryCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('signed-in-user')).toHaveText(DUO_USER);
});

test('a user who must enrol a factor links Duo instead of an app and lands on its profile', async ({ page, request }) => {
  const user = await readyUser(request, 'duo-enrolling', PASSWORD, { use_mfa: true });
  await submitSignIn(page, user.email, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Or link Duo' })).toBeVisible();
  await toPrompt(page, user.email, 'Link Duo');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Duo is linked' })).toBeVisible();
  await expect(page.getByTestId('duo-linked')).toHaveText('Linked');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(new URL(page.url()).search).toBe('');

  // The next sign-in asks Duo.
  await signOut(page);
  await submitSignIn(page, user.email, PASSWORD);
  await expect(page.getByRole('button', { name: 'Continue with Duo' })).toBeVisible();
});

test('an admin links Duo on the profile page, makes recovery codes, and unlinks it', async ({ page, request }) => {
  await setWizard(request, ADMIN, 'completed', 12, []);
  await signIn(page, ADMIN);
  try {
    await openProfile(page);
    await expect(page.getByTestId('duo-linked')).toHaveText('Not linked');
    await toPrompt(page, ADMIN, 'Link Duo');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Duo is linked' })).toBeVisible();
    await expect(page.getByTestId('duo-linked')).toHaveText('Linked');
    expect(new URL(page.url()).search).toBe('');
    await expectAccessible(page);
    await snap(page, 'duo-linked-profile');

    await page.getByRole('button', { name: 'Make recovery codes' }).click();
    await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Unlink Duo' }).click();
    await page.getByRole('dialog', { name: 'Unlink Duo?' }).getByRole('button', { name: 'Unlink Duo' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Duo is unlinked' })).toBeVisible();
    await expect(page.getByTestId('duo-linked')).toHaveText('Not linked');
    await expect(page.getByRole('button', { name: 'Link Duo' })).toBeVisible();
  } finally {
    // A linked admin would be asked for Duo by every other test's password sign-in.
    await page.request.delete('/api/v1/me/duo');
  }
});

test.describe('after Sign in with Microsoft', () => {
  const SAM = 'scim.tech@demo-reseller.test';
  let savedTenantId: string | null = null;
  test.beforeAll(async ({ request }) => {
    const response = await request.get('/api/v1/settings/azure-login', { headers: await adminHeaders(request) });
    savedTenantId = (await response.json()).tenant_id;
    await setTenantId(request, DEMO_TENANT_ID);
  });
  test.afterAll(async ({ request }) => {
    await setTenantId(request, savedTenantId);
  });

  async function signInWithMicrosoftAsSam(page: Page) {
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.getByRole('link', { name: `Sam Rivera ${SAM}`, exact: true }).click();
  }

  test('the technician who linked Duo comes back from Microsoft to the Duo step', async ({ page, request }) => {
    const found = await request.get(`/api/v1/users?q=${encodeURIComponent(SAM)}`, { headers: await adminHeaders(request) });
    const sam = (await found.json()).items[0] as { id: string };
    try {
      await signInWithMicrosoftAsSam(page);
      await expect(page.getByTestId('signed-in-user')).toHaveText(SAM);
      await closeWizardIfOpen(page);
      await openProfile(page);
      await toPrompt(page, SAM, 'Link Duo');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect(page.getByTestId('duo-linked')).toHaveText('Linked');
      await signOut(page);

      // Microsoft's way back carries the challenge and its methods in the fragment.
      await signInWithMicrosoftAsSam(page);
      await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
      expect(new URL(page.url()).hash).toBe('');
      await toPrompt(page, SAM, 'Continue with Duo');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect(page.getByTestId('signed-in-user')).toHaveText(SAM);
    } finally {
      // An admin's Reset MFA also unlinks Duo: Sam signs in with Microsoft alone again.
      const reset = await request.delete(`/api/v1/users/${sam.id}/mfa`, { headers: await adminHeaders(request) });
      expect(reset.ok(), await reset.text()).toBeTruthy();
    }
  });
});

test.describe('Security integrations', () => {
  test.beforeEach(async ({ page, request }) => {
    await setWizard(request, ADMIN, 'completed', 12, []);
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security integrations' }).click();
    await expect(page.getByRole('heading', { name: 'Security integrations', level: 1 })).toBeVisible();
  });

  const row = (page: Page, name: string) => page.getByRole('row', { name: new RegExp(`^${name} `) });

  test('an admin sees Duo, tests it, and is told what is wrong in the add form', async ({ page, request }) => {
    const duo = row(page, 'Duo');
    await expect(duo).toContainText(await fakeDuo(request));
    await expect(duo.getByTestId('integration-state')).toHaveText('On');
    await expectAccessible(page);
    await snap(page, 'security-integrations');

    await duo.getByRole('button', { name: 'Test' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Duo answered at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/ })).toBeVisible();

    await page.getByRole('button', { name: 'Add Duo Web SDK' }).click();
    const form = page.getByRole('dialog', { name: 'Add Duo Web SDK' });
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Duo');
    await expect(form.getByLabel('Client Secret')).toHaveAttribute('type', 'password');
    await form.getByLabel('Client ID').fill(DEMO_DUO_CLIENT_ID);
    await form.getByLabel('Client Secret').fill(DEMO_DUO_SECRET);
    await form.getByLabel('API hostname').fill(`https://${await fakeDuo(request)}`);
    await form.getByRole('button', { name: 'Add integration' }).click();
    await expect(form.getByLabel('API hostname')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.locator('#duo-api-hostname-problem')).toContainText('without https://');
    await expectAccessible(page);
    await snap(page, 'security-integrations-add-invalid');

    // The server's rules: a host that is not Duo's, then a second integration.
    await form.getByLabel('API hostname').fill('api-1a2b3c4d.example.com');
    await form.getByRole('button', { name: 'Add integration' }).click();
    await expect(form.locator('#duo-api-hostname-problem')).toContainText('is not a Duo API hostname');
    await form.getByLabel('API hostname').fill(await fakeDuo(request));
    await form.getByRole('button', { name: 'Add integration' }).click();
    await expect(form.getByRole('alert')).toContainText('already has a Duo Web SDK integration');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await expect(form).toHaveCount(0);
    expect(await integrations(request)).toHaveLength(1);
  });

  test('an admin renames Duo, turns it off and on again', async ({ page, request }) => {
    try {
      await row(page, 'Duo').getByRole('button', { name: 'Edit' }).click();
      const form = page.getByRole('dialog', { name: 'Edit Duo Web SDK' });
      await expect(form.getByLabel('Client Secret')).toHaveValue('');
      await form.getByLabel('Name', { exact: true }).fill('Duo for technicians');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByRole('status')).toHaveText('Changes to Duo for technicians saved.');
      const renamed = row(page, 'Duo for technicians');
      await expect(renamed).toBeVisible();

      await renamed.getByRole('button', { name: 'Disable' }).click();
      await expect(page.getByRole('status')).toContainText('is off');
      await expect(renamed.getByTestId('integration-state')).toHaveText('Off');
      await renamed.getByRole('button', { name: 'Enable' }).click();
      await expect(page.getByRole('status')).toContainText('is on');
      await expect(renamed.getByTestId('integration-state')).toHaveText('On');
    } finally {
      const [duo] = await integrations(request);
      await request.patch(`${INTEGRATIONS}/${duo.id}`, { data: { name: 'Duo', enabled: true }, headers: await adminHeaders(request) });
    }
  });

  test('an admin deletes Duo after confirming, and adds it again with the values from Duo', async ({ page, request }) => {
    const host = await fakeDuo(request);
    try {
      await row(page, 'Duo').getByRole('button', { name: 'Delete' }).click();
      const question = page.getByRole('dialog', { name: 'Delete Duo?' });
      await expectAccessible(page);
      await question.getByRole('button', { name: 'Delete integration' }).click();
      await expect(page.getByRole('status')).toHaveText('Duo was deleted.');
      await expect(page.getByText('No security integration yet.')).toBeVisible();

      await page.getByRole('button', { name: 'Add Duo Web SDK' }).click();
      const form = page.getByRole('dialog', { name: 'Add Duo Web SDK' });
      await form.getByLabel('Client ID').fill(DEMO_DUO_CLIENT_ID);
      await form.getByLabel('Client Secret').fill(DEMO_DUO_SECRET);
      await form.getByLabel('API hostname').fill(host);
      await form.getByRole('button', { name: 'Add integration' }).click();
      await expect(page.getByRole('status')).toContainText('Duo added: Duo answered');
      await expect(row(page, 'Duo').getByTestId('integration-state')).toHaveText('On');
    } finally {
      if ((await integrations(request)).length === 0) {
        const response = await request.post(INTEGRATIONS, {
          data: { kind: 'duo_web_sdk', name: 'Duo', client_id: DEMO_DUO_CLIENT_ID, client_secret: DEMO_DUO_SECRET, api_hostname: host },
          headers: await adminHeaders(request),
        });
        expect(response.status(), await response.text()).toBe(201);
      }
    }
    // The Duo user, still linked, is asked for Duo again.
    const login = await request.post('/api/v1/auth/login', { data: { email: DUO_USER, password: PASSWORD } });
    expect((await login.json()).methods).toContain('duo');
  });
});
