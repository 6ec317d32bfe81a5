import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, setWizard, signIn } from './onboarding-helpers';
import { adminHeaders, snap } from './technicians-helpers';

// SPEC §15: admins make technician groups (e.g. "Level 1 techs") and add technicians to them.
// Every group made here has a unique suffix and is deleted through the API in `finally`.

const MEMBER = 'no-create-customer@demo-reseller.test';

async function deleteGroupsEndingWith(request: APIRequestContext, suffix: string) {
  const headers = await adminHeaders(request);
  const response = await request.get('/api/v1/technician-groups', { headers });
  expect(response.ok(), await response.text()).toBeTruthy();
  for (const group of (await response.json()) as { id: string; name: string }[]) {
    if (group.name.endsWith(suffix)) await request.delete(`/api/v1/technician-groups/${group.id}`, { headers });
  }
}

const status = (page: Page) => page.getByRole('status').filter({ hasText: /\.$/ });

async function createGroup(page: Page, name: string) {
  await page.getByLabel('Group name').fill(name);
  await page.getByRole('button', { name: 'Create group' }).click();
}

test('an admin creates a technician group, adds and removes a member, renames and deletes it', async ({ page, request }) => {
  const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const name = `Level 1 techs ${suffix}`;
  const renamed = `Level 2 techs ${suffix}`;
  try {
    await setWizard(request, ADMIN, 'dismissed');
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Technician groups' }).click();
    await expect(page).toHaveURL(/\/teams\/groups$/);
    await expect(page.getByRole('heading', { name: 'Technician groups', level: 1 })).toBeVisible();

    await createGroup(page, name);
    await expect(status(page)).toHaveText(`${name} was created.`);
    const group = page.getByRole('region', { name });
    await expect(group).toBeVisible();
    await expect(group).toContainText('0 members');
    await expect(group).toContainText('No members yet.');

    // A second group of the same name (case ignored) is refused next to the field.
    await createGroup(page, name.toUpperCase());
    const problem = page.locator('#new-group-problem');
    await expect(problem).toHaveAttribute('role', 'alert');
    await expect(problem).toContainText('already exists');
    await expect(page.getByLabel('Group name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('region', { name: name.toUpperCase(), exact: true })).toHaveCount(0);

    // Add the technician: the choice names users by e-mail (and display name when they have one).
    const choice = group.getByLabel(`Add member to ${name}`);
    const option = choice.locator('option', { hasText: MEMBER });
    await expect(option).toHaveCount(1);
    await choice.selectOption((await option.getAttribute('value')) ?? '');
    await group.getByRole('button', { name: `Add to ${name}` }).click();
    await expect(status(page)).toContainText(`was added to ${name}.`);
    const members = group.getByRole('list', { name: `Members of ${name}` });
    await expect(members.getByRole('listitem')).toHaveCount(1);
    await expect(members).toContainText(MEMBER);
    await expect(group).toContainText('1 member');
    // A member is no longer offered, and the choice starts over.
    await expect(choice.locator('option', { hasText: MEMBER })).toHaveCount(0);
    await expect(choice).toHaveValue('');
    await expectAccessible(page);
    await snap(page, 'groups-with-member');

    // Rename.
    await group.getByRole('button', { name: `Rename ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Rename ${name}` });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('New name').fill(renamed);
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Save name' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(status(page)).toHaveText(`${name} was renamed ${renamed}.`);
    const renamedGroup = page.getByRole('region', { name: renamed });
    await expect(renamedGroup).toContainText(MEMBER);
    await expect(page.getByRole('region', { name, exact: true })).toHaveCount(0);

    // Remove the member: the button names both.
    const remove = renamedGroup.getByRole('button', { name: new RegExp(`^Remove .+ from ${renamed}$`) });
    await expect(remove).toHaveCount(1);
    await remove.click();
    await expect(status(page)).toContainText(`was removed from ${renamed}.`);
    await expect(renamedGroup).toContainText('No members yet.');
    await expect(renamedGroup).toContainText('0 members');

    // Delete, after a confirmation; Cancel first keeps the group.
    await renamedGroup.getByRole('button', { name: `Delete ${renamed}` }).click();
    const confirm = page.getByRole('dialog', { name: `Delete ${renamed}?` });
    await expect(confirm).toBeVisible();
    await expectAccessible(page);
    await snap(page, 'groups-delete-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(renamedGroup).toBeVisible();
    await renamedGroup.getByRole('button', { name: `Delete ${renamed}` }).click();
    await page.getByRole('dialog', { name: `Delete ${renamed}?` }).getByRole('button', { name: 'Delete group' }).click();
    await expect(status(page)).toHaveText(`${renamed} was deleted.`);
    await expect(page.getByRole('region', { name: renamed })).toHaveCount(0);
  } finally {
    await deleteGroupsEndingWith(request, suffix);
  }
});

test('a technician has no Technician groups entry and the page says admins only', async ({ page, request }) => {
  // The onboarding wizard, when open, keeps a user on its own steps.
  await setWizard(request, MEMBER, 'dismissed', 1);
  await signIn(page, MEMBER);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Users' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Technician groups' })).toHaveCount(0);

  await page.goto('/teams/groups');
  await expect(page.getByRole('heading', { name: 'Technician groups', level: 1 })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Only admins' })).toHaveText('Only admins see and manage technician groups.');
  await expect(page.getByRole('button', { name: 'Create group' })).toHaveCount(0);
  await expectAccessible(page);

  // The API agrees: a technician's token is refused.
  const login = await request.post('/api/v1/auth/login', { data: { email: MEMBER, password: PASSWORD } });
  expect(login.ok(), await login.text()).toBeTruthy();
  const headers = { authorization: `Bearer ${(await login.json()).access_token}` };
  expect((await request.get('/api/v1/technician-groups', { headers })).status()).toBe(403);
});
