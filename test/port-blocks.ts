import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Below Linux's ephemeral range (32768+), where freePort() and outgoing connections take ports.
const FIRST = 20_000;
const LAST = 32_699;
const SIZE = 100;
const CLAIMS = join(tmpdir(), 'rise-test-port-blocks');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const canBind = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Takes `dir` for this process, or a claim whose process is gone. */
function claim(dir: string): boolean {
  try {
    mkdirSync(dir);
  } catch {
    const owner = Number(readFileSync(join(dir, 'pid'), { encoding: 'utf8', flag: 'r' }).trim() || '0');
    if (owner && alive(owner)) return false;
    rmSync(dir, { recursive: true, force: true });
    return claim(dir);
  }
  writeFileSync(join(dir, 'pid'), String(process.pid));
  return true;
}

/**
 * A block of 100 host ports for a test's RISE_APP_PORT_RANGE that no other test process on this
 * machine holds (claims are directories in the temp dir, owned by a pid), so parallel test files
 * never publish app slots on the same port. Released when the process exits.
 */
export async function claimPortBlock(): Promise<{ first: number; last: number; range: string }> {
  mkdirSync(CLAIMS, { recursive: true });
  const blocks = Math.floor((LAST - FIRST + 1) / SIZE);
  const start = Math.floor(Math.random() * blocks);
  for (let offset = 0; offset < blocks; offset++) {
    const first = FIRST + ((start + offset) % blocks) * SIZE;
    const dir = join(CLAIMS, String(first));
    const readClaim = () => {
      try {
        return claim(dir);
      } catch {
        return false;
      }
    };
    if (!readClaim()) continue;
    if (!(await canBind(first)) || !(await canBind(first + SIZE - 1))) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const last = first + SIZE - 1;
    return { first, last, range: `${first}-${last}` };
  }
  throw new Error('no free block of test app ports: every block is claimed by a running test process');
}
