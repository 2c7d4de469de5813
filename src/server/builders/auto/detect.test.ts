import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectApp, UnknownProjectError } from './detect';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../test/fixtures/apps');
const dirs: string[] = [];

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rise-detect-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('detectApp', () => {
  it('prefers a Dockerfile over everything else', async () => {
    const dir = await project({ Dockerfile: 'FROM scratch\n', 'package.json': '{"main":"a.js"}' });
    expect(await detectApp(dir)).toEqual({ kind: 'dockerfile', dockerfile: 'Dockerfile' });
  });

  it('uses the Dockerfile path from the config, and fails clearly when it is missing', async () => {
    const dir = await project({ 'docker/app.Dockerfile': 'FROM scratch\n' });
    expect(await detectApp(dir, { dockerfile: 'docker/app.Dockerfile' })).toEqual({
      kind: 'dockerfile',
      dockerfile: 'docker/app.Dockerfile',
    });
    await expect(detectApp(dir, { dockerfile: 'nope.Dockerfile' })).rejects.toThrow(
      /'nope.Dockerfile'.*does not exist/,
    );
  });

  it('detects the Node fixture: start script run directly with node, nothing to install', async () => {
    expect(await detectApp(path.join(FIXTURES, 'node-app'))).toEqual({
      kind: 'node',
      manifests: ['package.json'],
      install: null,
      hasBuildScript: false,
      command: ['node', 'server.js'],
    });
  });

  it('uses npm ci with a lockfile, npm install without, and npm start for other start scripts', async () => {
    const withLock = await project({
      'package.json': JSON.stringify({ scripts: { start: 'next start' }, dependencies: { next: '1' } }),
      'package-lock.json': '{}',
    });
    expect(await detectApp(withLock)).toMatchObject({
      kind: 'node',
      manifests: ['package.json', 'package-lock.json'],
      install: 'ci',
      command: ['npm', 'start'],
    });
    const noLock = await project({
      'package.json': JSON.stringify({ main: 'index.js', dependencies: { express: '4' } }),
    });
    expect(await detectApp(noLock)).toMatchObject({ install: 'install', command: ['node', 'index.js'] });
  });

  it('explains a package.json without start script or main', async () => {
    const dir = await project({ 'package.json': '{"name":"x"}' });
    const error = await detectApp(dir).catch((caught) => caught);
    expect(error).toBeInstanceOf(UnknownProjectError);
    expect(error.message).toMatch(/neither a "start" script nor "main"/);
  });

  it('detects Python with requirements.txt or pyproject.toml and its entry point', async () => {
    const req = await project({ 'requirements.txt': 'flask\n', 'app.py': '' });
    expect(await detectApp(req)).toEqual({
      kind: 'python',
      requirements: true,
      pyproject: false,
      command: ['python', 'app.py'],
    });
    const procfile = await project({ 'pyproject.toml': '', Procfile: 'web: gunicorn app:app\n' });
    expect(await detectApp(procfile)).toMatchObject({
      pyproject: true,
      command: ['sh', '-c', 'gunicorn app:app'],
    });
    await expect(detectApp(await project({ 'requirements.txt': '' }))).rejects.toThrow(/Procfile/);
  });

  it('detects Go at the top level or under cmd/', async () => {
    expect(await detectApp(await project({ 'go.mod': 'module x', 'go.sum': '', 'main.go': '' }))).toEqual({
      kind: 'go',
      goSum: true,
      packagePath: '.',
    });
    expect(await detectApp(await project({ 'go.mod': 'module x', 'cmd/server/main.go': '' }))).toEqual({
      kind: 'go',
      goSum: false,
      packagePath: './cmd/server',
    });
  });

  it('detects static sites at the top level, in public/ or dist/', async () => {
    expect(await detectApp(path.join(FIXTURES, 'static-site'))).toEqual({ kind: 'static', dir: '.' });
    expect(await detectApp(await project({ 'public/index.html': '' }))).toEqual({
      kind: 'static',
      dir: 'public',
    });
    expect(await detectApp(await project({ 'dist/index.html': '' }))).toEqual({
      kind: 'static',
      dir: 'dist',
    });
  });

  it('names what it looked for and how to fix an unknown project', async () => {
    const error = await detectApp(await project({ 'README.md': 'hi' })).catch((caught) => caught);
    expect(error).toBeInstanceOf(UnknownProjectError);
    expect(error.message).toContain('Could not detect how to build');
    for (const expected of [
      'Dockerfile',
      'package.json',
      'requirements.txt',
      'go.mod',
      'index.html',
      'backend',
    ]) {
      expect(error.message).toContain(expected);
    }
  });
});
