// Shared by the technicians browser tests: RFC 6238 codes computed here from a secret, unique
// users made through the API, and sign-in with any password.
import { createHmac } from 'node:crypto';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, PASSWORD } from './onboarding-helpers';

export const MFA_USER = 'mfa@demo-reseller.test';
export const MFA_SECRET = 'JBSWY3DPEHPK3PXP';
export const API_ONLY_USER = 'api-only@demo-reseller.test';
export const NEW_PASSWORD = 'a long new password 1';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

/** The 6-digit TOTP code (HMAC-SHA1, 30-second steps) of `secret` at `step`. */
export function totp(secret: string | Buffer, step = currentStep()): string {
  const key = typeof secret === 'string' ? base32Decode(secret) : secret;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// A code is accepted once per step; the server also takes the next step (clock skew), so a second
// code in the same step uses that, and a third waits for the clock.
const lastUsedStep = new Map<string, number>();

/** A code of `secret` the server has not seen yet. */
export async function freshCode(secret: string): Promise<string> {
  let step = currentStep();
  const used = lastUsedStep.get(secret);
  if (used !== undefined && used >= step) step = used + 1;
  while (step > currentStep() + 1) await new Promise((resolve) => setTimeout(resolve, 1000));
  lastUsedStep.set(secret, step);
  return totp(secret, step);
}

let counter = 0;
/** An address no other test (or earlier run on the same database) has used. */
export const uniqueEmail = (what: string) => `${what}-${Date.now()}-${++counter}@demo-reseller.test`;

export async function adminHeaders(request: APIRequestContext) {
  const response = await request.post('/api/v1/auth/login', { data: { email: ADMIN, password: PASSWORD } });
  expect(response.ok(), await response.text()).toBeTruthy();
  return { authorization: `Bearer ${(await response.json()).access_token}` };
}

/** Invites a user through the API as the demo admin; answers with the invited user and its link. */
export async function inviteByApi(request: APIRequestContext, data: Record<string, unknown>) {
  const response = await request.post('/api/v1/users', { data, headers: await adminHeaders(request) });
  expect(response.status(), await response.text()).toBe(201);
  return response.json() as Promise<{ user: { id: string; email: string; claims: string[] }; invitation_url: string }>;
}

/** Invites and accepts through the API: a user who can sign in with `password`. */
export async function readyUser(request: APIRequestContext, what: string, password = PASSWORD, extra: Record<string, unknown> = {}) {
  const email = uniqueEmail(what);
  const invited = await inviteByApi(request, { email, ...extra });
  const token = new URL(invited.invitation_url).hash.replace(/^#token=/, '');
  const accepted = await request.post('/api/v1/auth/accept-invitation', { data: { token, password } });
  expect(accepted.status(), await accepted.text()).toBe(204);
  return invited.user;
}

export async function userById(request: APIRequestContext, id: string) {
  const response = await request.get(`/api/v1/users/${id}`, { headers: await adminHeaders(request) });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

/** Fills the sign-in form; the caller checks where that led. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto('/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function snap(page: Page, name: string) {
  await page.screenshot({ path: `screenshots/technicians-${name}.png`, fullPage: true });
}
