import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirInUseError } from './instance-lock';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rise-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  return Number(pid);
}

describe('acquireDataDirLock', () => {
  it('writes rise.pid with this process and removes it on release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'rise.pid'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, 'rise.pid'))).toBe(false);
  });

  it('refuses while a live process holds it, naming that process and the way out', () => {
    const dir = tempDir();
    // PID 1 is alive for as long as the machine is.
    writeFileSync(
      join(dir, 'rise.pid'),
      JSON.stringify({ pid: 1, startTime: null, at: '2026-12-01T10:00:00Z' }),
    );
    let thrown: unknown;
    try {
      acquireDataDirLock(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataDirInUseError);
    expect((thrown as Error).message).toBe(
      `Rise is already running on the data directory ${dir}: process 1 (started 2026-12-01T10:00:00Z) ` +
        `holds ${join(dir, 'rise.pid')}. Stop it first (Ctrl+C in its terminal, or \`kill 1\`), ` +
        'or give this one another data directory with RISE_DATA_DIR.',
    );
    expect(JSON.parse(readFileSync(join(dir, 'rise.pid'), 'utf8')).pid).toBe(1);
  });

  it('takes over a lock whose process is gone, or whose pid now belongs to another process', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rise.pid'), JSON.stringify({ pid: deadPid(), startTime: null, at: 'then' }));
    acquireDataDirLock(dir).release();
    writeFileSync(join(dir, 'rise.pid'), JSON.stringify({ pid: 1, startTime: '-1', at: 'before a reboot' }));
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'rise.pid'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rise.pid'), '{"pid":');
    acquireDataDirLock(dir).release();
  });
});
