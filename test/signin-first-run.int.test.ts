import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { signUpLocally } from './api-client';
import { type NextServer, startNextServer } from './next-server';

// A fresh install has nobody to sign in as: the sign-in page opens on creating the first account
// (which becomes the platform admin); once someone has signed up it opens on signing in.

let server: NextServer;

beforeAll(async () => {
  server = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
});
afterAll(() => server?.stop());

const signinPage = async (query = '') => {
  const response = await fetch(`${server.url}/signin${query}`);
  expect(response.status).toBe(200);
  return response.text();
};
const mode = (html: string) => /name="mode" value="(signin|signup)"/.exec(html)?.[1];

describe('the sign-in page on first run', () => {
  it('with no users it opens in sign-up mode and says the account becomes the platform admin', async () => {
    expect(await getDb().user.count()).toBe(0);
    const html = await signinPage();
    expect(mode(html)).toBe('signup');
    expect(html).toContain('Create the first account: it becomes the platform admin.');
    expect(html).toContain('Create account');
    // The user may still ask for the sign-in form.
    expect(mode(await signinPage('?mode=signin'))).toBe('signin');
  });

  it('once an account exists it opens in sign-in mode', async () => {
    await signUpLocally(server.url, { email: 'first@example.test', password: 'correct-horse-battery' });
    const first = await getDb().user.findFirstOrThrow({ where: { email: 'first@example.test' } });
    expect(first.isPlatformAdmin).toBe(true);
    const html = await signinPage();
    expect(mode(html)).toBe('signin');
    expect(html).not.toContain('Create the first account');
  });
});
