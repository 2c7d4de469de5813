import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { httpApi } from '../api-client';
import { uniqueName } from '../fixtures';
import { type NextServer, startNextServer } from '../next-server';

// Attacks replayed against the real web server: password guessing, request floods, sign-up of
// strangers. Servers A and B share one database (two replicas); both trust one proxy hop, as behind
// Rise's Caddy, so each test acts as its own client address through X-Forwarded-For. Server C keeps
// the default (no trusted proxy: clients connect directly) and open sign-up.
const LOCKOUT_SECONDS = 3;
const MAX_FAILURES = 10;
const PASSWORD = 'correct-horse-battery';

let dataDir: string;
let a: NextServer;
let b: NextServer;
let c: NextServer;
let adminCookie: string;

let addressCounter = 0;
/** A fresh client address, as Rise's Caddy would report it. */
const newClient = () => `198.51.100.${++addressCounter}`;

type LocalAuth = { mode: 'signin' | 'signup'; email: string; password: string; invite?: string };

async function localAuth(server: NextServer, form: LocalAuth, client: string) {
  const response = await fetch(`${server.url}/api/local-auth`, {
    method: 'POST',
    body: new URLSearchParams({ callbackUrl: '/', ...form }),
    redirect: 'manual',
    headers: { 'x-forwarded-for': client },
  });
  const location = response.headers.get('location') ?? '';
  const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? null;
  const error = location ? new URL(location).searchParams.get('error') : null;
  return { status: response.status, cookie, error, retryAfter: response.headers.get('retry-after') };
}

const signIn = (server: NextServer, email: string, password: string, client: string) =>
  localAuth(server, { mode: 'signin', email, password }, client);

async function signUp(server: NextServer, email: string, client: string, invite?: string) {
  return localAuth(
    server,
    { mode: 'signup', email, password: PASSWORD, ...(invite ? { invite } : {}) },
    client,
  );
}

/** One tRPC mutation over raw HTTP, so the test controls the headers. */
async function trpcMutation(server: NextServer, path: string, input: unknown, client: string) {
  const response = await fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as {
    result?: { data: { json: Record<string, unknown> } };
    error?: { json: { data: { code: string }; message: string } };
  };
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    data: body.result?.data.json,
    code: body.error?.json.data.code ?? null,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rise-rate-limits-'));
  const shared = {
    RISE_DATA_DIR: dataDir,
    RISE_LOCAL_AUTH: 'true',
    RISE_SIGNIN_MAX_FAILURES: String(MAX_FAILURES),
    RISE_SIGNIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
  };
  // One after the other: the first creates the registry signing key the others read.
  a = await startNextServer({ ...shared, RISE_TRUSTED_PROXY_HOPS: '1' });
  b = await startNextServer({ ...shared, RISE_TRUSTED_PROXY_HOPS: '1' });
  c = await startNextServer({ ...shared, RISE_LOCAL_SIGNUP: 'open' });
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local sign-up policy', () => {
  it('lets the first account sign up; it becomes the admin', async () => {
    const first = await signUp(a, 'admin@example.test', newClient());
    expect(first.error).toBeNull();
    expect(first.cookie).toBeTruthy();
    adminCookie = first.cookie!;
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: 'admin@example.test' } });
    expect(admin.isPlatformAdmin).toBe(true);
  });

  it('refuses a second account without an invitation, saying how to get one', async () => {
    const stranger = await signUp(a, 'stranger@example.test', newClient());
    expect(stranger.cookie).toBeNull();
    expect(stranger.error).toMatch(/^Sign-up is by invitation: ask an admin/);
    expect(await getDb().user.count({ where: { email: 'stranger@example.test' } })).toBe(0);
    // The sign-in page does not offer sign-up any more.
    const page = await (await fetch(`${a.url}/signin`)).text();
    expect(page).not.toContain('No account yet? Create one');
  });

  it('accepts an invitation link once: the invitee lands in the team with the invited role', async () => {
    const admin = httpApi(a.url, { cookie: adminCookie });
    const team = uniqueName('crew');
    await admin.team.create.mutate({ name: team });
    const invitation = await admin.invitation.createForTeam.mutate({
      team,
      email: 'Bob@Example.test',
      role: 'viewer',
    });
    expect(invitation).toMatchObject({ email: 'bob@example.test', team, role: 'viewer' });
    const token = new URL(invitation.link).searchParams.get('invite')!;
    expect(invitation.link).toBe(`${a.url}/signin?invite=${token}`);
    expect((await admin.invitation.listForTeam.query({ team })).map((item) => item.email)).toEqual([
      'bob@example.test',
    ]);

    // The link opens sign-up for the invited address.
    const page = await (await fetch(invitation.link)).text();
    expect(page).toContain('bob@example.test');
    expect(page).toContain(`name="invite"`);

    // The token does not work for another address.
    const otherEmail = await signUp(a, 'mallory@example.test', newClient(), token);
    expect(otherEmail.cookie).toBeNull();
    expect(otherEmail.error).toContain('This invitation is for bob@example.test');

    const bob = await signUp(a, 'bob@example.test', newClient(), token);
    expect(bob.error).toBeNull();
    expect(bob.cookie).toBeTruthy();
    const user = await getDb().user.findUniqueOrThrow({ where: { email: 'bob@example.test' } });
    expect(user.isPlatformAdmin).toBe(false);
    const membership = await getDb().teamMember.findFirstOrThrow({
      where: { userId: user.id, team: { name: team } },
    });
    expect(membership.role).toBe('viewer');
    expect(await admin.invitation.listForTeam.query({ team })).toEqual([]);
    const audit = await getDb().auditEvent.findMany({
      where: { action: { in: ['invitation.create', 'invitation.accept'] } },
      select: { action: true },
    });
    expect(audit.map((event) => event.action).sort()).toEqual(['invitation.accept', 'invitation.create']);

    // Used: refused the second time, for anyone.
    const reused = await signUp(a, 'bob@example.test', newClient(), token);
    expect(reused.cookie).toBeNull();
    expect(reused.error).toContain('invalid, expired or already used');
    expect((await signUp(a, 'mallory@example.test', newClient(), token)).cookie).toBeNull();
  });

  it('refuses an expired or revoked invitation', async () => {
    const admin = httpApi(a.url, { cookie: adminCookie });
    const expired = await admin.invitation.create.mutate({ email: 'late@example.test' });
    await getDb().invitation.updateMany({
      where: { email: 'late@example.test' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await signUp(
      a,
      'late@example.test',
      newClient(),
      new URL(expired.link).searchParams.get('invite')!,
    );
    expect(late.cookie).toBeNull();
    expect(late.error).toContain('invalid, expired or already used');

    const revoked = await admin.invitation.create.mutate({ email: 'gone@example.test' });
    await admin.invitation.revoke.mutate({ id: revoked.id });
    const gone = await signUp(
      a,
      'gone@example.test',
      newClient(),
      new URL(revoked.link).searchParams.get('invite')!,
    );
    expect(gone.cookie).toBeNull();
    expect(
      await getDb().user.count({ where: { email: { in: ['late@example.test', 'gone@example.test'] } } }),
    ).toBe(0);
  });

  it('refuses a flood of sign-ups from one address', async () => {
    const client = newClient();
    for (let attempt = 0; attempt < 20; attempt++) {
      const refused = await signUp(a, `flood-${attempt}@example.test`, client);
      expect(refused.status, `attempt ${attempt + 1}`).toBe(303);
    }
    const flooded = await signUp(a, 'flood-last@example.test', client);
    expect(flooded.status).toBe(429);
    expect(Number(flooded.retryAfter)).toBeGreaterThan(0);
  });

  it('lets anyone sign up when RISE_LOCAL_SIGNUP=open', async () => {
    const open = await signUp(c, 'walk-in@example.test', newClient());
    expect(open.error).toBeNull();
    expect(open.cookie).toBeTruthy();
  });
});

describe('sign-in lockout', () => {
  let email: string;
  beforeAll(async () => {
    email = `victim-${uniqueName('v')}@example.test`;
    expect((await signUp(c, email, newClient())).cookie).toBeTruthy();
  });

  it(`refuses even the right password after ${MAX_FAILURES} wrong ones, until the lockout ends`, async () => {
    const client = newClient();
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      const wrong = await signIn(a, email, `wrong-password-${attempt}`, client);
      expect(wrong.status, `attempt ${attempt + 1}`).toBe(303);
      expect(wrong.error).toBe('Email or password is incorrect.');
    }
    const locked = await signIn(a, email, PASSWORD, client);
    expect(locked.status).toBe(429);
    expect(locked.cookie).toBeNull();
    const wait = Number(locked.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(LOCKOUT_SECONDS);
    // Another address is refused too: the lock is on the account.
    expect((await signIn(a, email, PASSWORD, newClient())).status).toBe(429);

    await sleep(wait * 1000 + 500);
    const after = await signIn(a, email, PASSWORD, client);
    expect(after.error).toBeNull();
    expect(after.cookie).toBeTruthy();
  });

  it('answers an unknown account the same way, revealing nothing', async () => {
    const client = newClient();
    const nobody = `nobody-${uniqueName('n')}@example.test`;
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      expect((await signIn(a, nobody, `wrong-password-${attempt}`, client)).error).toBe(
        'Email or password is incorrect.',
      );
    }
    const locked = await signIn(a, nobody, PASSWORD, client);
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('starts counting again after a successful sign-in', async () => {
    const client = newClient();
    for (let round = 0; round < 2; round++) {
      for (let attempt = 0; attempt < MAX_FAILURES - 1; attempt++) {
        expect((await signIn(a, email, `wrong-password-${attempt}`, client)).status).toBe(303);
      }
      const right = await signIn(a, email, PASSWORD, client);
      expect(right.cookie, `round ${round + 1}`).toBeTruthy();
    }
  });

  it('counts failures across web replicas on one database', async () => {
    const client = newClient();
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      const server = attempt % 2 === 0 ? a : b;
      expect((await signIn(server, email, `wrong-password-${attempt}`, client)).status).toBe(303);
    }
    expect((await signIn(b, email, PASSWORD, client)).status).toBe(429);
    expect((await signIn(a, email, PASSWORD, client)).status).toBe(429);
    await sleep(LOCKOUT_SECONDS * 1000 + 500);
    expect((await signIn(b, email, PASSWORD, client)).cookie).toBeTruthy();
  });

  it('stops one address spraying passwords over many accounts', async () => {
    const client = newClient();
    const perAddress = 5 * MAX_FAILURES;
    for (let attempt = 0; attempt < perAddress; attempt++) {
      const sprayed = await signIn(a, `target-${attempt}@example.test`, 'wrong-password', client);
      expect(sprayed.status, `attempt ${attempt + 1}`).toBe(303);
    }
    // Even a real account with its right password, from that address.
    expect((await signIn(b, email, PASSWORD, client)).status).toBe(429);
    // Other addresses are not affected.
    expect((await signIn(b, email, PASSWORD, newClient())).cookie).toBeTruthy();
  });
});

describe('device flow limits', () => {
  it('refuses a flood of anonymous cliLogin.start past the limit, creating at most the limit of rows', async () => {
    const client = newClient();
    const before = await getDb().deviceAuthorization.count();
    const results = [];
    for (let call = 0; call < 100; call++) {
      results.push(
        await trpcMutation(call % 2 === 0 ? a : b, 'cliLogin.start', { clientName: 'flood' }, client),
      );
    }
    const accepted = results.filter((result) => result.status === 200);
    const refused = results.filter((result) => result.status === 429);
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(90);
    expect(refused.every((result) => result.code === 'TOO_MANY_REQUESTS')).toBe(true);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0);
    expect((await getDb().deviceAuthorization.count()) - before).toBe(10);
    // Another client is still served.
    expect((await trpcMutation(a, 'cliLogin.start', { clientName: 'laptop' }, newClient())).status).toBe(200);
  });

  it('ignores a forged X-Forwarded-For when clients connect directly', async () => {
    // Server C trusts no proxy: the socket's address counts, whatever the client claims.
    const results = [];
    for (let call = 0; call < 15; call++) {
      results.push(await trpcMutation(c, 'cliLogin.start', { clientName: 'forger' }, `203.0.113.${call}`));
    }
    expect(results.filter((result) => result.status === 200)).toHaveLength(10);
    expect(results.filter((result) => result.status === 429)).toHaveLength(5);
  });

  it('answers slow_down to a fast poller, then refuses it', async () => {
    const start = await trpcMutation(a, 'cliLogin.start', { clientName: 'poller' }, newClient());
    const deviceCode = start.data?.deviceCode as string;
    const polls = [];
    // Each poll from a fresh address: the limit is on the device code itself.
    for (let call = 0; call < 25; call++) {
      polls.push(await trpcMutation(a, 'cliLogin.poll', { deviceCode }, newClient()));
    }
    expect(polls[0]!.data).toMatchObject({ status: 'pending' });
    expect(polls[1]!.data).toMatchObject({ status: 'slow_down' });
    expect(polls.slice(0, 20).every((poll) => poll.status === 200)).toBe(true);
    expect(polls.slice(20).every((poll) => poll.status === 429 && poll.code === 'TOO_MANY_REQUESTS')).toBe(
      true,
    );
  });
});

describe('registry token endpoint', () => {
  const tokenRequest = (server: NextServer, username: string, password: string, client: string) =>
    fetch(`${server.url}/api/registry/token?service=rise-registry`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
        'x-forwarded-for': client,
      },
    });

  it('refuses an account from an address after repeated bad credentials, without locking out its owner', async () => {
    const { token } = await httpApi(a.url, { cookie: adminCookie }).token.create.mutate({ name: 'registry' });
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: 'admin@example.test' } });
    const attacker = newClient();
    expect((await tokenRequest(a, admin.username, token, attacker)).status).toBe(200);
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await tokenRequest(
        attempt % 2 === 0 ? a : b,
        admin.username,
        `guess-${attempt}`,
        attacker,
      );
      expect(response.status, `attempt ${attempt + 1}`).toBe(401);
    }
    const refused = await tokenRequest(a, admin.username, token, attacker);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe(
      'TOOMANYREQUESTS',
    );
    // The owner, elsewhere, still gets tokens.
    expect((await tokenRequest(b, admin.username, token, newClient())).status).toBe(200);
  });

  it('refuses an address guessing many accounts', async () => {
    const attacker = newClient();
    for (let attempt = 0; attempt < 30; attempt++) {
      expect((await tokenRequest(a, `user-${attempt}`, 'guess', attacker)).status).toBe(401);
    }
    expect((await tokenRequest(b, 'someone-else', 'guess', attacker)).status).toBe(429);
  });
});
