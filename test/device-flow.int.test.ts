import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '@/server/api/root';
import { getDb } from '@/server/db';
import { httpApi, signUpLocally } from './api-client';
import { type NextServer, startNextServer } from './next-server';

let server: NextServer;
let cookie: string;

beforeAll(async () => {
  server = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
  cookie = await signUpLocally(server.url, {
    email: 'niklas@example.test',
    password: 'correct-horse-battery',
    name: 'Niklas',
  });
});
afterAll(() => server?.stop());

describe('rise login device flow over HTTP', () => {
  it('start → pending → slow_down → approve in the browser session → token → me', async () => {
    const cli = httpApi(server.url);
    const start = await cli.cliLogin.start.mutate({ clientName: 'rise CLI on laptop' });
    expect(start.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(start.verificationUriComplete).toBe(`${server.url}/cli/login?code=${start.userCode}`);
    expect(start.interval).toBe(5);

    expect(await cli.cliLogin.poll.mutate({ deviceCode: start.deviceCode })).toEqual({
      status: 'pending',
      interval: 5,
    });
    expect(await cli.cliLogin.poll.mutate({ deviceCode: start.deviceCode })).toEqual({
      status: 'slow_down',
      interval: 10,
    });

    // The approval page: anonymous visitors are sent to sign in and back; the signed-in user sees the code.
    const anonymous = await fetch(start.verificationUriComplete, { redirect: 'manual' });
    expect(anonymous.status).toBe(307);
    expect(decodeURIComponent(anonymous.headers.get('location') ?? '')).toContain(
      `/signin?callbackUrl=/cli/login?code=${start.userCode}`,
    );
    const page = await fetch(start.verificationUriComplete, { headers: { cookie } });
    const html = await page.text();
    expect(html).toContain(start.userCode);
    expect(html).toContain('rise CLI on laptop');
    expect(html).toContain('Approve');

    const browser = httpApi(server.url, { cookie });
    await browser.cliLogin.approve.mutate({ userCode: start.userCode });

    const approved = await cli.cliLogin.poll.mutate({ deviceCode: start.deviceCode });
    if (approved.status !== 'approved') throw new Error(`expected approval, got ${approved.status}`);
    expect(approved.user.name).toBe('Niklas');
    expect(approved.token).toMatch(/^rise_/);

    const me = await httpApi(server.url, { token: approved.token }).me.query();
    expect(me).toMatchObject({ kind: 'user', email: 'niklas@example.test', name: 'Niklas', via: 'token' });

    // The device code is single-use.
    expect(await cli.cliLogin.poll.mutate({ deviceCode: start.deviceCode })).toEqual({ status: 'expired' });
    // The token is listed (prefix only) and revocable; a revoked token is refused.
    const tokens = await browser.token.list.query();
    const cliToken = tokens.find((token) => approved.token.startsWith(token.prefix));
    expect(cliToken?.name).toBe('CLI login (rise CLI on laptop)');
    await browser.token.revoke.mutate({ id: cliToken!.id });
    const refused = await httpApi(server.url, { token: approved.token })
      .me.query()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).message).toContain('invalid, expired or revoked');
  });

  it('a denied request tells the CLI access was refused', async () => {
    const cli = httpApi(server.url);
    const start = await cli.cliLogin.start.mutate({ clientName: 'someone else' });
    await httpApi(server.url, { cookie }).cliLogin.deny.mutate({ userCode: start.userCode });
    expect(await cli.cliLogin.poll.mutate({ deviceCode: start.deviceCode })).toEqual({ status: 'denied' });
  });

  it('an expired request can be neither polled nor approved', async () => {
    const cli = httpApi(server.url);
    const start = await cli.cliLogin.start.mutate({ clientName: 'slow user' });
    await getDb().deviceAuthorization.update({
      where: { userCode: start.userCode },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await cli.cliLogin.poll.mutate({ deviceCode: start.deviceCode })).toEqual({ status: 'expired' });
    const error = await httpApi(server.url, { cookie })
      .cliLogin.approve.mutate({ userCode: start.userCode })
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe('PRECONDITION_FAILED');
  });

  it('an unknown device code is a clear error', async () => {
    const error = await httpApi(server.url)
      .cliLogin.poll.mutate({ deviceCode: 'x'.repeat(43) })
      .catch((e: unknown) => e);
    expect((error as TRPCClientError<AppRouter>).message).toBe(
      'Unknown device code. Run `rise login` again.',
    );
  });
});
