import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../lib/api';
import { syncProjectFile } from './sync-project-file';

// What `rise d c` sends before it deploys, from `.rise.toml` and the Procfile: the processes as declared,
// only when one of them declares them.

const api = {
  project: { update: { mutate: vi.fn() }, setProcesses: { mutate: vi.fn() } },
  gitSource: { set: { mutate: vi.fn() } },
  cron: { set: { mutate: vi.fn() } },
  env: { set: { mutate: vi.fn() } },
};
let dir: string;
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
const sync = () => syncProjectFile(api as unknown as Api, 'shop', dir);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rise-sync-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const group of Object.values(api))
    for (const call of Object.values(group))
      (call as { mutate: ReturnType<typeof vi.fn> }).mutate.mockReset();
});

describe('syncProjectFile', () => {
  it('sends [processes] as declared (and ignores a Procfile next to it)', async () => {
    write(
      '.rise.toml',
      'project = "shop"\n[processes]\nweb = "npm start"\nworker = { command = "node w.js", replicas = 2, memory = "256M" }\n',
    );
    write('Procfile', 'web: something else\n');
    await sync();
    expect(api.project.setProcesses.mutate).toHaveBeenCalledTimes(1);
    expect(api.project.setProcesses.mutate.mock.calls[0]![0]).toMatchObject({
      project: 'shop',
      web: { command: 'npm start' },
      processes: { worker: { command: 'node w.js', replicas: 2, memoryLimitMb: 256 } },
    });
  });

  it('sends the Procfile when .rise.toml declares no processes, or there is no .rise.toml', async () => {
    write('Procfile', 'web: npm start\nworker: node w.js\nrelease: npm run migrate\n');
    await sync();
    write('.rise.toml', 'project = "shop"\n[deploy]\nport = 3000\n');
    await sync();
    expect(api.project.setProcesses.mutate).toHaveBeenCalledTimes(2);
    for (const [input] of api.project.setProcesses.mutate.mock.calls) {
      expect(input).toEqual({
        project: 'shop',
        web: {},
        processes: { worker: { command: 'node w.js' } },
        release: 'npm run migrate',
      });
    }
  });

  it('leaves the processes alone when nothing declares them', async () => {
    write('.rise.toml', 'project = "shop"\n[deploy]\nport = 3000\n');
    await sync();
    expect(api.project.update.mutate).toHaveBeenCalledTimes(1);
    expect(api.project.setProcesses.mutate).not.toHaveBeenCalled();
  });

  it('fails on a bad Procfile before changing anything on the server', async () => {
    write('.rise.toml', 'project = "shop"\n[deploy]\nport = 3000\n');
    write('Procfile', 'web: npm start\nworker node w.js\n');
    await expect(sync()).rejects.toThrow(
      `${join(dir, 'Procfile')}:2: expected "name: command" (e.g. "worker: node worker.js"), got "worker node w.js"`,
    );
    expect(api.project.update.mutate).not.toHaveBeenCalled();
    expect(api.project.setProcesses.mutate).not.toHaveBeenCalled();
  });
});
