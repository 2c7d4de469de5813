import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase, parseDatabaseUrl, restoreDatabase } from './platform-dump';

// Fake pg_dump / pg_restore: record argv, PGPASSWORD and stdin, then behave as FAKE_MODE says.
let dir: string;
let fake: string;
const url = 'postgresql://rise%40admin:s3cr%3Ast@db.internal:6543/rise_prod?sslmode=require';
/** How both tools are pointed at `url`: every part but the password, which goes in the environment. */
const connectionArgs = [
  '--host',
  'db.internal',
  '--port',
  '6543',
  '--username',
  'rise@admin',
  '--no-password',
  '--dbname',
  'rise_prod',
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rise-fake-pg-'));
  fake = path.join(dir, 'fake-pg-tool');
  await writeFile(
    fake,
    `#!/usr/bin/env node
const fs = require('node:fs');
const out = process.env.FAKE_OUT;
const stdin = process.env.FAKE_READ_STDIN ? fs.readFileSync(0, 'utf8') : '';
fs.writeFileSync(out, JSON.stringify({ argv: process.argv.slice(2), password: process.env.PGPASSWORD, sslmode: process.env.PGSSLMODE, stdin }));
if (process.env.FAKE_MODE === 'fail') { process.stderr.write('fake: error: connection to server failed\\n'); process.exit(1); }
if (process.env.FAKE_MODE === 'hang') { setInterval(() => {}, 1000); return; }
process.stdout.write('PGDMP-fake-dump');
`,
  );
  await chmod(fake, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withEnv = async <T>(env: Record<string, string>, run: () => Promise<T>) => {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
};

const record = async (name: string) =>
  JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
    argv: string[];
    password?: string;
    sslmode?: string;
    stdin: string;
  };

describe('parseDatabaseUrl', () => {
  it('decodes user, password and database', () => {
    expect(parseDatabaseUrl(url)).toEqual({
      host: 'db.internal',
      port: '6543',
      user: 'rise@admin',
      password: 's3cr:st',
      database: 'rise_prod',
      sslmode: 'require',
    });
  });

  it('rejects other schemes and URLs without a database, without echoing the URL', () => {
    expect(() => parseDatabaseUrl('mysql://u:pw@h/db')).toThrow(/postgres/);
    expect(() => parseDatabaseUrl('postgresql://u:hunter2@h:5432/')).toThrow(/must name a database/);
    expect(() => parseDatabaseUrl('not a url hunter2')).toThrow(/^Database URL is not a valid URL\.$/);
  });
});

describe('dumpDatabase', () => {
  it('runs pg_dump -Fc with an argument array and the password only in PGPASSWORD', async () => {
    const out = path.join(dir, 'dump.json');
    const data = await withEnv({ FAKE_OUT: out, FAKE_MODE: 'ok', PGHOST: 'elsewhere' }, async () =>
      Buffer.concat(await dumpDatabase(url, { pgDump: fake }).toArray()),
    );
    expect(data.toString()).toBe('PGDMP-fake-dump');
    const seen = await record('dump.json');
    expect(seen.argv).toEqual(['--format=custom', '--no-owner', '--no-privileges', ...connectionArgs]);
    expect(seen.argv.join(' ')).not.toContain('s3cr');
    expect(seen.password).toBe('s3cr:st');
    expect(seen.sslmode).toBe('require');
  });

  it('runs pg_dump from PATH when no program is given', async () => {
    const bin = path.join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    await symlink(fake, path.join(bin, 'pg_dump'));
    const data = await withEnv(
      {
        FAKE_OUT: path.join(dir, 'path.json'),
        FAKE_MODE: 'ok',
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      },
      async () => Buffer.concat(await dumpDatabase(url).toArray()),
    );
    expect(data.toString()).toBe('PGDMP-fake-dump');
  });

  it("surfaces the tool's stderr and exit code", async () => {
    await withEnv({ FAKE_OUT: path.join(dir, 'fail.json'), FAKE_MODE: 'fail' }, async () => {
      await expect(dumpDatabase(url, { pgDump: fake }).toArray()).rejects.toThrow(
        'pg_dump failed (exit code 1): fake: error: connection to server failed',
      );
    });
  });

  it('stops pg_dump when the signal aborts', async () => {
    const controller = new AbortController();
    await withEnv({ FAKE_OUT: path.join(dir, 'hang.json'), FAKE_MODE: 'hang' }, async () => {
      const stream = dumpDatabase(url, { pgDump: fake, signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      await expect(stream.toArray()).rejects.toThrow(/cancelled/);
    });
  });
});

describe('restoreDatabase', () => {
  it('runs pg_restore in one transaction, with --clean --if-exists when asked', async () => {
    const out = path.join(dir, 'restore.json');
    await withEnv({ FAKE_OUT: out, FAKE_MODE: 'ok', FAKE_READ_STDIN: '1' }, async () => {
      await restoreDatabase(url, Readable.from([Buffer.from('PGDMP-input')]), {
        clean: true,
        pgRestore: fake,
      });
    });
    const seen = await record('restore.json');
    expect(seen.stdin).toBe('PGDMP-input');
    expect(seen.password).toBe('s3cr:st');
    expect(seen.argv).toEqual([
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      '--clean',
      '--if-exists',
      ...connectionArgs,
    ]);
  });

  it("surfaces pg_restore's stderr and exit code", async () => {
    await withEnv(
      { FAKE_OUT: path.join(dir, 'rfail.json'), FAKE_MODE: 'fail', FAKE_READ_STDIN: '1' },
      async () => {
        await expect(
          restoreDatabase(url, Readable.from([Buffer.from('x')]), { clean: false, pgRestore: fake }),
        ).rejects.toThrow('pg_restore failed (exit code 1): fake: error: connection to server failed');
      },
    );
  });

  it('kills pg_restore and rejects with the source error when the source fails', async () => {
    const source = new Readable({ read() {} });
    await withEnv(
      { FAKE_OUT: path.join(dir, 'rsrc.json'), FAKE_MODE: 'ok', FAKE_READ_STDIN: '1' },
      async () => {
        const restore = restoreDatabase(url, source, { clean: false, pgRestore: fake });
        source.push(Buffer.from('partial'));
        setTimeout(() => source.destroy(new Error('archive failed authentication')), 100);
        await expect(restore).rejects.toThrow('archive failed authentication');
      },
    );
  });
});
