import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enableListenerMigration } from './listener-migration';

const dirs: string[] = [];
async function setting(value: string | null) {
  const dir = await mkdtemp(join(tmpdir(), 'rise-migrate-req-'));
  dirs.push(dir);
  const path = join(dir, 'tcp_migrate_req');
  if (value !== null) await writeFile(path, value);
  return path;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('enableListenerMigration', () => {
  it('leaves a setting that is on alone', async () => {
    const path = await setting('1\n');
    expect(await enableListenerMigration(path)).toBe('on');
  });

  it('turns an off setting on', async () => {
    const path = await setting('0\n');
    expect(await enableListenerMigration(path)).toBe('turned-on');
    expect((await readFile(path, 'utf8')).trim()).toBe('1');
  });

  it('says unsupported on a kernel without the setting', async () => {
    const dir = await setting(null);
    expect(await enableListenerMigration(join(dir, '..', 'missing', 'tcp_migrate_req'))).toBe('unsupported');
  });
});
