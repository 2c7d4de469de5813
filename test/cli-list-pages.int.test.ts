import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { httpApi, signUpLocally } from './api-client';
import { runCli } from './cli-runner';
import { type NextServer, startNextServer } from './next-server';

// The CLI's list commands against the real server: more projects than one page holds (200), so
// `rise p ls` must follow the cursor to show them all, and --limit / --search cut on the server.

let web: NextServer;
let token: string;
const home = mkdtempSync(join(tmpdir(), 'rise-cli-pages-'));
const PROJECTS = 230;

beforeAll(async () => {
  web = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
  const cookie = await signUpLocally(web.url, {
    email: 'pages@example.test',
    password: 'correct-horse-battery',
  });
  token = (await httpApi(web.url, { cookie }).token.create.mutate({ name: 'pages' })).token;
  const user = await getDb().user.findUniqueOrThrow({ where: { email: 'pages@example.test' } });
  await getDb().project.createMany({
    data: Array.from({ length: PROJECTS }, (_, index) => ({
      name: `paged-${String(index).padStart(3, '0')}`,
      ownerUserId: user.id,
    })),
  });
}, 180_000);

afterAll(async () => {
  await web?.stop();
  rmSync(home, { recursive: true, force: true });
});

const rise = (args: string[]) => runCli(args, { home, env: { RISE_URL: web.url, RISE_TOKEN: token } });
const names = async (args: string[]) => {
  const result = await rise([...args, '--output', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { name: string }[]).map((project) => project.name);
};

describe('rise p ls', () => {
  it('follows the cursor past one page to every project, in name order', async () => {
    const all = await names(['p', 'ls']);
    expect(all).toHaveLength(PROJECTS);
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(PROJECTS);
  });

  it('--limit and --search', async () => {
    expect(await names(['p', 'ls', '--limit', '3'])).toEqual(['paged-000', 'paged-001', 'paged-002']);
    expect(await names(['p', 'ls', '--search', 'ged-22'])).toEqual(
      Array.from({ length: 10 }, (_, index) => `paged-22${index}`),
    );
    const none = await rise(['p', 'ls', '--search', 'nothing-like-this']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain("No project names contain 'nothing-like-this'.");
  });
});
