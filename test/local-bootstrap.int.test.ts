import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { SIGNUP_WAITS_FOR_ADMIN } from '@/server/domains/invitations/invitation-policy';
import { signUpLocally } from './api-client';
import { type NextServer, startNextServer } from './next-server';

// A self-hosted Rise without any identity provider (the compose stack without Dex): empty OIDC
// settings mean local accounts, with no RISE_LOCAL_AUTH needed; RISE_ADMIN_EMAILS keeps the first
// (admin) account for the operator, so whoever finds the fresh installation first cannot claim it.

const ADMIN = 'boss@example.test';
let server: NextServer;

beforeAll(async () => {
  server = await startNextServer({
    RISE_OIDC_ISSUER: '',
    RISE_OIDC_CLIENT_ID: '',
    RISE_OIDC_CLIENT_SECRET: '',
    RISE_LOCAL_AUTH: '',
    RISE_ADMIN_EMAILS: ADMIN,
  });
});
afterAll(() => server?.stop());

async function signUp(email: string) {
  const form = new URLSearchParams({
    mode: 'signup',
    callbackUrl: '/',
    email,
    password: 'correct-horse-battery',
  });
  const response = await fetch(`${server.url}/api/local-auth`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location') ?? '' };
}

describe('local accounts when no OIDC provider is configured', () => {
  it('offers local sign-up and no identity provider', async () => {
    const html = await (await fetch(`${server.url}/signin`)).text();
    expect(html).toContain(
      'Create the first account with an email listed in RISE_ADMIN_EMAILS: it becomes the platform admin.',
    );
    expect(html).not.toContain('Continue with');
    expect(html).not.toContain('No sign-in method is configured');
  });

  it('refuses a first account outside RISE_ADMIN_EMAILS, then makes the listed admin the admin', async () => {
    const stranger = await signUp('first-comer@example.test');
    expect(stranger.status).toBe(303);
    expect(new URL(stranger.location, server.url).searchParams.get('error')).toBe(SIGNUP_WAITS_FOR_ADMIN);
    expect(await getDb().user.count()).toBe(0);

    await signUpLocally(server.url, { email: ADMIN, password: 'correct-horse-battery' });
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: ADMIN } });
    expect(admin.isPlatformAdmin).toBe(true);

    // After that, sign-up is by invitation (RISE_LOCAL_SIGNUP=invite).
    const later = await signUp('first-comer@example.test');
    expect(new URL(later.location, server.url).searchParams.get('error')).toMatch(
      /^Sign-up is by invitation/,
    );
    expect(await getDb().user.count()).toBe(1);
  });
});
