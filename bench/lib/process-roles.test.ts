import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { freePort } from '../../src/server/platform/free-port';
import { descendants, killAll } from '../../test/rise-start-process';
import { waitFor } from '../../test/wait';
import { processRoles, rssBytes } from './stack';

const started: number[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'rise-bench-roles-'));
afterEach(async () => {
  const pids = started.flatMap((pid) => [pid, ...descendants(pid)]);
  started.length = 0;
  await killAll(pids);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const idleNode = (code = '') => `${process.execPath} -e "${code}setInterval(() => {}, 1000)"`;

it('counts each process of a start command as the web server, the worker or the launcher', async () => {
  // A launcher (sh) running a web server on `port` (not named like Next's) with a child, and a worker.
  const port = await freePort();
  const listen = `require('node:http').createServer().listen(${port}, '127.0.0.1');`;
  const web = `${idleNode(`${listen}require('node:child_process').spawn('sleep', ['60']);`)} server.js`;
  const worker = `${idleNode()} worker/main.ts`;
  // From a script file, so that the launcher's own command line names neither.
  const script = path.join(dir, 'start.sh');
  writeFileSync(script, `${web} &\n${worker} &\nwait\n`);
  const root = spawn('sh', [script], { stdio: 'ignore' });
  started.push(root.pid as number);
  const roles = await waitFor(
    () => {
      const current = processRoles(root.pid as number, port);
      return (current.get('web')?.length ?? 0) >= 2 ? current : null;
    },
    { description: 'the web server and its child to run', timeoutMs: 10_000, intervalMs: 100 },
  );
  expect(roles.get('launcher')).toEqual([root.pid]);
  expect(roles.get('web')).toHaveLength(2);
  expect(roles.get('worker')).toHaveLength(1);
  expect(roles.has('postgres')).toBe(false);
  for (const pid of [...(roles.get('web') ?? []), ...(roles.get('worker') ?? [])]) {
    expect(rssBytes(pid)).toBeGreaterThan(1024 * 1024);
  }
  // Without its port, a web server not named like Next's is part of the launcher.
  expect(processRoles(root.pid as number).get('launcher')).toHaveLength(3);
});
