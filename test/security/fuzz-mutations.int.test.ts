import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '@/server/api/root';
import { getDb } from '@/server/db';
import { issueToken } from '@/server/domains/tokens/token.service';
import { createTeamWithRoles, createUser, insertRunningDatabase, uniqueName } from '../fixtures';
import { type NextServer, startNextServer } from '../next-server';
import { sampleInput, stringPaths, withString } from './input-sample';

/** What an attacker types into any field: control bytes, huge text, paths, shell, markup, odd Unicode. */
const HOSTILE_STRINGS = [
  'a\u0000b',
  '\u0000',
  'x'.repeat(10_240),
  '../../../../etc/passwd',
  '..',
  '$(reboot)`id`;|&',
  'line1\nline2\r\nline3',
  '\t \u00a0',
  '',
  'dé\u0301jà 𝕽ise ☃ \u202eevil',
  '\ud800',
  '\udfff\ud800',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>{{7*7}}#{7*7}',
  'a/../../etc',
  'http://169.254.169.254/latest/meta-data/',
  '%00%2e%2e%2f',
];

type Procedure = { _def: { type: string; inputs: unknown[] } };
const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>).filter(
  ([, procedure]) => procedure._def.type === 'mutation',
);

let server: NextServer;
let token: string;
let names: Record<string, string>;

beforeAll(async () => {
  server = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
  const admin = await createUser({ admin: true });
  token = (await issueToken(null, { userId: admin.id, name: 'fuzz', expiresInDays: 1 })).token;
  const { team } = await createTeamWithRoles();
  const project = await getDb().project.create({ data: { name: uniqueName('fuzz'), ownerTeamId: team.id } });
  await insertRunningDatabase(project);
  const outsider = await createUser();
  names = {
    project: project.name,
    team: team.name,
    user: outsider.username,
    database: 'main',
    name: uniqueName('n'),
    into: 'revived',
    userCode: 'ABCD-EFGH',
    deviceCode: 'fuzz-device-code',
  };
});
afterAll(() => server?.stop());

async function post(path: string, input: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(superjson.serialize(input)),
  });
  return { status: response.status, body: await response.text() };
}

describe('hostile strings in every mutation', () => {
  it('covers the mutations of the router', () => {
    expect(mutations.length).toBeGreaterThan(40);
  });

  it('no input answers 5xx or leaks internals', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const [path, procedure] of mutations) {
      const base = Object.assign(
        {},
        ...procedure._def.inputs.map((schema) => sampleInput(schema, names) as object),
      );
      const variants: unknown[] = [...HOSTILE_STRINGS];
      for (const leaf of stringPaths(base))
        for (const hostile of HOSTILE_STRINGS) variants.push(withString(base, leaf, hostile));
      // A few requests at a time: a real client's pace, and a quarter of the wall time.
      for (let start = 0; start < variants.length; start += 4) {
        await Promise.all(
          variants.slice(start, start + 4).map(async (input) => {
            const { status, body } = await post(path, input);
            sent++;
            if (status >= 500 || /prisma|invocation|\bat .*\.(ts|js):\d+/i.test(body))
              failures.push(
                `${path} ${JSON.stringify(input).slice(0, 160)} → ${status} ${body.slice(0, 200)}`,
              );
          }),
        );
      }
    }
    console.log(`fuzz: ${sent} requests to ${mutations.length} mutations, ${failures.length} failures`);
    expect(failures).toEqual([]);
  });
});
