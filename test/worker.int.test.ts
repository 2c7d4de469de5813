/**
 * The real worker process (`worker/main.ts`) against this file's fresh database: it starts pg-boss,
 * runs a `cleanup` job sent from outside, and stops cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { waitFor } from './wait';

const repoRoot = path.resolve(import.meta.dirname, '..');
const DAY_MS = 24 * 60 * 60 * 1000;

type Running = {
  child: ChildProcess;
  output: () => string;
  stdout: () => string;
  /** Resolves when stdout contains `text`; rejects on timeout or if the process exits first. */
  waitForStdout: (text: string, timeoutMs: number) => Promise<void>;
  /** Resolves with the exit code (or the signal's name); rejects on timeout. */
  waitForExit: (timeoutMs: number) => Promise<number | string>;
};

function startWorker(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    notify();
  });
  let exit: number | string | undefined;
  child.on('close', (code, signal) => {
    exit = code ?? signal ?? 'unknown';
    notify();
  });
  const output = () => `--- stdout\n${stdout}\n--- stderr\n${stderr}`;

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const listener = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${output()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      listeners.add(listener);
      listener();
    });

  return {
    child,
    output,
    stdout: () => stdout,
    waitForStdout: (text, timeoutMs) =>
      waitFor(
        () => {
          if (stdout.includes(text)) return true;
          if (exit !== undefined)
            throw new Error(`worker exited (${exit}) before printing "${text}"\n${output()}`);
          return undefined;
        },
        timeoutMs,
        `"${text}"`,
      ).then(() => undefined),
    waitForExit: (timeoutMs) => waitFor(() => exit, timeoutMs, 'the worker to exit'),
  };
}

const running: Running[] = [];
function track(worker: Running) {
  running.push(worker);
  return worker;
}

afterAll(async () => {
  for (const worker of running) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.waitForExit(10_000).catch(() => undefined);
    }
  }
});

describe('worker process', () => {
  let worker: Running;
  let boss: PgBoss;

  beforeAll(async () => {
    worker = track(startWorker(['--queues', 'cleanup']));
    await worker.waitForStdout('worker ready', 60_000);
    boss = new PgBoss({ connectionString: process.env.DATABASE_URL as string, schema: 'pgboss' });
    boss.on('error', () => undefined);
    await boss.start();
  }, 90_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, timeout: 5_000 });
    await getDb().$disconnect();
  });

  it('announces the queues it serves', () => {
    expect(worker.stdout()).toContain('[worker] worker ready: queues cleanup');
  });

  it('runs a cleanup job: deletes expired sessions and old device authorizations, keeps fresh sessions', async () => {
    const db = getDb();
    const suffix = randomBytes(4).toString('hex');
    const user = await db.user.create({
      data: { username: `cleanup-${suffix}`, email: `cleanup-${suffix}@example.test` },
    });
    const now = Date.now();
    const expiredSession = await db.session.create({
      data: { sessionToken: `expired-${suffix}`, userId: user.id, expires: new Date(now - 60_000) },
    });
    const freshSession = await db.session.create({
      data: { sessionToken: `fresh-${suffix}`, userId: user.id, expires: new Date(now + DAY_MS) },
    });
    const oldDevice = await db.deviceAuthorization.create({
      data: {
        deviceCodeHash: `old-${suffix}`,
        userCode: `OLD-${suffix}`,
        clientName: 'test',
        userId: user.id,
        expiresAt: new Date(now - 2 * DAY_MS),
      },
    });
    // Expired, but within the one-day grace period: kept.
    const recentDevice = await db.deviceAuthorization.create({
      data: {
        deviceCodeHash: `recent-${suffix}`,
        userCode: `NEW-${suffix}`,
        clientName: 'test',
        expiresAt: new Date(now - 60_000),
      },
    });

    const id = await boss.send('cleanup', {});
    expect(id).toBeTruthy();
    const jobId = id as string;

    const job = await waitFor(
      async () => {
        const current = await boss.getJobById('cleanup', jobId);
        return current && ['completed', 'failed', 'cancelled'].includes(current.state) ? current : null;
      },
      { description: `cleanup job ${jobId} to finish`, timeoutMs: 45_000, context: () => worker.output() },
    );
    expect(job.state, `job ${jobId}: ${JSON.stringify(job.output)}\n${worker.output()}`).toBe('completed');
    expect(job.output).toBeDefined();

    expect(await db.session.findUnique({ where: { id: expiredSession.id } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: freshSession.id } })).not.toBeNull();
    expect(await db.deviceAuthorization.findUnique({ where: { id: oldDevice.id } })).toBeNull();
    expect(await db.deviceAuthorization.findUnique({ where: { id: recentDevice.id } })).not.toBeNull();
    await worker.waitForStdout(`cleanup ${jobId} done`, 10_000);
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    expect(worker.child.kill('SIGTERM')).toBe(true);
    const code = await worker.waitForExit(45_000);
    expect(code, worker.output()).toBe(0);
    expect(worker.stdout()).toContain('[worker] SIGTERM received');
    expect(worker.stdout()).toContain('[worker] stopped');
  });
});

describe('worker process with an unknown queue', () => {
  it('exits non-zero naming the unknown queue and the known ones', async () => {
    const worker = track(startWorker(['--queues', 'nope']));
    const code = await worker.waitForExit(60_000);
    expect(code, worker.output()).not.toBe(0);
    expect(typeof code).toBe('number');
    const output = worker.output();
    expect(output).toContain('Unknown queue(s): nope');
    expect(output).toContain('Known queues: deploy, stop, project-delete, reconcile, cleanup');
    expect(worker.stdout()).not.toContain('worker ready');
  });
});
