import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';

describe('the web server validates its environment at start-up', () => {
  it('exits 1 naming the bad variable instead of serving', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'],
      { env: { ...process.env, RISE_TLS_MODE: 'sometimes' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('RISE_TLS_MODE');
  });
});
