import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { freePort } from '@/server/platform/free-port';
import { launchChromium } from './browser';
import { type NextServer, startNextServer } from './next-server';
import { startOidcProvider } from './oidc-provider';

let rise: NextServer;
let idp: Awaited<ReturnType<typeof startOidcProvider>>;
let browser: Browser;

beforeAll(async () => {
  const risePort = await freePort();
  idp = await startOidcProvider({
    redirectUri: `http://localhost:${risePort}/api/auth/callback/oidc`,
    identities: {
      niklas: {
        sub: 'niklas',
        email: 'niklas@example.test',
        name: 'Niklas Example',
        preferred_username: 'niklas',
      },
    },
  });
  rise = await startNextServer(
    {
      RISE_OIDC_ISSUER: idp.issuer,
      RISE_OIDC_CLIENT_ID: idp.clientId,
      RISE_OIDC_CLIENT_SECRET: idp.clientSecret,
      RISE_OIDC_NAME: 'Test SSO',
      RISE_LOCAL_AUTH: 'false',
    },
    risePort,
  );
  browser = await launchChromium();
});

afterAll(async () => {
  if (process.env.RISE_TEST_DEBUG) console.log(rise?.output());
  await browser?.close();
  await rise?.stop();
  await idp?.close();
});

describe('SSO sign-in through NextAuth against a real OpenID provider', () => {
  it('authorization-code flow lands on the dashboard as that user', async () => {
    const page = await browser.newPage();
    await page.goto(`${rise.url}/`);
    // Not signed in: the dashboard sends us to sign-in, which offers only SSO (local accounts are off).
    await page.waitForURL(/\/signin\?callbackUrl=/);
    expect(await page.locator('input[type=password]').count()).toBe(0);
    await page.getByRole('button', { name: 'Continue with Test SSO' }).click();

    // The provider's own login and consent pages.
    await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
    await page.fill('input[name=login]', 'niklas');
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
    await page.click('button[type=submit]');

    await page.waitForURL(`${rise.url}/`);
    const signedIn = page.getByTestId('signed-in-user');
    await expect.poll(() => signedIn.textContent()).toContain('Niklas Example');
    expect(await signedIn.textContent()).toContain('user:niklas');
    // The first user of a platform becomes its admin.
    expect(await signedIn.textContent()).toContain('admin');
    expect(await page.getByText('No projects yet').count()).toBe(1);

    const user = await getDb().user.findUniqueOrThrow({
      where: { email: 'niklas@example.test' },
      include: { accounts: true, sessions: true },
    });
    expect(user.username).toBe('niklas');
    expect(user.isPlatformAdmin).toBe(true);
    expect(user.accounts).toMatchObject([{ provider: 'oidc', providerAccountId: 'niklas' }]);
    expect(user.sessions).toHaveLength(1);

    // Signing out ends the database session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    await page.close();
  });
});
