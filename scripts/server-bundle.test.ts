import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleServer } from './server-bundle.mjs';

// Inside node_modules, so that the bundle resolves packages (and, at run time, its externals) the way
// dist/ does in a checkout.
const dir = path.resolve(
  import.meta.dirname,
  '..',
  'node_modules',
  '.cache',
  `rise-server-bundle-${process.pid}`,
);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('server bundle', () => {
  it('loads ssh2 (about 17 MiB) only when a Docker client connects over ssh://', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'probe.mjs'),
      `import Dockerode from 'dockerode';
       import { createRequire } from 'node:module';
       const ssh2Loaded = () =>
         Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('/node_modules/ssh2/'));
       await new Dockerode({ socketPath: '/nonexistent/docker.sock' }).ping().catch(() => undefined);
       const afterSocket = ssh2Loaded();
       await new Dockerode({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' })
         .ping()
         .catch(() => undefined);
       console.log(JSON.stringify({ afterSocket, afterSsh: ssh2Loaded() }));`,
    );
    await bundleServer({
      entryPoints: { probe: path.join(dir, 'probe.mjs') },
      outdir: path.join(dir, 'out'),
    });
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'out', 'probe.mjs')], {
      timeout: 30_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({
      afterSocket: false,
      afterSsh: true,
    });
  }, 60_000);
});
