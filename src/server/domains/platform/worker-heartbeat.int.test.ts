import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, describe, expect, it } from 'vitest';
import { apiAs, createUser, rejectionOf, userCaller } from '../../../../test/fixtures';
import { waitFor } from '../../../../test/wait';
import { startWorkerProcess, type WorkerProcess } from '../../../../test/worker-process';
import { recordWorkerHeartbeat } from './worker-heartbeat.service';

// Admin → Health's runtime card comes from the worker's own heartbeat (the web container has no Docker
// socket in the compose stack): absent, stale and present, through the real procedure and a real worker.

const dataDir = mkdtempSync(join(tmpdir(), 'rise-heartbeat-'));
let worker: WorkerProcess | undefined;

afterAll(async () => {
  await worker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function runtimeCard() {
  const admin = await createUser({ admin: true });
  const results = await apiAs(userCaller(admin)).admin.health();
  return results.find((result) => result.component === 'runtime');
}

describe('Admin → Health: the runtime as the worker reports it', () => {
  it('is an error, naming the worker, while no worker has reported', async () => {
    expect(await runtimeCard()).toMatchObject({
      ok: false,
      detail:
        'no worker heartbeat yet — is the worker running? (npm start runs it; in the compose stack, the worker service)',
    });
  });

  it('is an error once the last heartbeat is older than a minute, with its age', async () => {
    const worker = { id: randomBytes(8).toString('hex'), hostname: 'gone', pid: 1, startedAt: new Date() };
    await recordWorkerHeartbeat(
      worker,
      { ok: true, detail: 'Docker engine reachable (2 instances)' },
      new Date(Date.now() - 3 * 60_000),
    );
    expect(await runtimeCard()).toMatchObject({
      ok: false,
      detail:
        'no worker heartbeat for 3 min (it last said: Docker engine reachable (2 instances)) — is the worker running?',
    });
  });

  it('is what a running worker process saw of the Docker engine, moments ago', async () => {
    worker = await startWorkerProcess({
      RISE_DATA_DIR: dataDir,
      RISE_INSTANCE_ID: `heartbeat-${randomBytes(3).toString('hex')}`,
      // Only this file's database; nothing else for the worker to do.
      RISE_CADDY_ADMIN_URL: 'http://127.0.0.1:9',
    });
    const card = await waitFor(
      async () => {
        const current = await runtimeCard();
        return current?.ok ? current : null;
      },
      {
        description: 'the runtime card to say ok',
        timeoutMs: 20_000,
        intervalMs: 250,
        context: () => worker?.output(),
      },
    );
    expect(card).toMatchObject({ ok: true });
    expect(card?.detail).toMatch(/^worker last seen \d+ s ago: Docker engine reachable \(0 instances\)$/);
  });

  it('is for platform admins only', async () => {
    const user = await createUser();
    const error = await rejectionOf(apiAs(userCaller(user)).admin.health(), TRPCError);
    expect(error.code).toBe('FORBIDDEN');
  });
});
