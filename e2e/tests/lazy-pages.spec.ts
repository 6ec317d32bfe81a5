// The web app starts with the shell, Home and the sign-in screens; every other page's code is
// downloaded the first time it is opened (frontend/src/lazy_pages.rs, cut by wasm-split-cli in
// scripts/build-frontend.sh). A page whose code cannot be downloaded says so in its place, the
// rest of the app goes on, and the next visit tries again.
import { expect, test } from '@playwright/test';
import { ADMIN, expectAccessible, setWizard, signIn } from './onboarding-helpers';

/** The split-out modules and the chunks they share, by the names the build gives them. */
const LAZY_MODULE = /\/assets\/(split|chunk)_[^/]*\.wasm$/;

test('the app starts without the pages code and downloads it when a page is first opened', async ({ page, request }) => {
  await setWizard(request, ADMIN, 'dismissed');
  const downloaded: string[] = [];
  page.on('request', (sent) => {
    if (LAZY_MODULE.test(new URL(sent.url()).pathname)) downloaded.push(sent.url());
  });
  await signIn(page, ADMIN);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(downloaded, 'Home needs no page module').toEqual([]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  expect(downloaded.length, 'the settings pages came when first opened').toBeGreaterThan(0);
});

test('a page whose code cannot be downloaded says so, and the next visit loads it', async ({ page, request }) => {
  await setWizard(request, ADMIN, 'dismissed');
  await signIn(page, ADMIN);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();

  // The network drops every page module.
  await page.route(LAZY_MODULE, (route) => route.abort('internetdisconnected'));
  await nav.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'This page could not be loaded. Check your connection and open it again.',
  );
  // The shell still works: Home is there.
  await expect(nav).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: 'screenshots/lazy-pages-not-loaded.png', fullPage: true });

  // Back online: opening the page again downloads it.
  await page.unroute(LAZY_MODULE);
  await nav.getByRole('link', { name: 'Home', exact: true }).click();
  await nav.getByRole('link', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
});
