import { describe, expect, it } from 'vitest';
import { declaredPackageManager, nodeAppFrom, type PackageManifest } from './node-app';

const withDeps: PackageManifest = { scripts: { start: 'node server.js' }, dependencies: { express: '4' } };
const files = (...names: string[]) => new Set(names);
const plan = (
  manifest: PackageManifest,
  names: string[],
  extra: { procfile?: string; yarnLock?: string } = {},
) =>
  nodeAppFrom(manifest, {
    files: files(...names),
    procfile: extra.procfile ?? null,
    yarnLock: extra.yarnLock,
  });

describe('nodeAppFrom: install', () => {
  it('npm ci with package-lock.json or npm-shrinkwrap.json; npm install only without any lockfile', () => {
    expect(plan(withDeps, ['package-lock.json'])?.install).toEqual({
      all: 'npm ci --include=dev',
      production: 'npm ci --omit=dev',
      prune: 'npm prune --omit=dev',
    });
    expect(plan(withDeps, ['npm-shrinkwrap.json', 'package-lock.json'])).toMatchObject({
      lockfile: 'npm-shrinkwrap.json',
      manifests: ['package.json', 'npm-shrinkwrap.json'],
    });
    const unpinned = plan(withDeps, []);
    expect(unpinned).toMatchObject({ packageManager: 'npm', lockfile: null, corepack: false });
    expect(unpinned?.install?.production).toBe('npm install --omit=dev');
    expect(unpinned?.notes).toContain(
      'No lockfile (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml) in .: installing with `npm install`, so dependency versions are not pinned. Commit a lockfile for reproducible builds.',
    );
  });

  it('yarn classic: --frozen-lockfile, production install, reinstall without dev dependencies after a build', () => {
    const app = plan({ ...withDeps, scripts: { ...withDeps.scripts, build: 'tsc' } }, ['yarn.lock'], {
      yarnLock: '# yarn lockfile v1\n',
    });
    expect(app).toMatchObject({
      packageManager: 'yarn',
      corepack: true,
      build: 'yarn run build',
      install: {
        all: 'yarn install --frozen-lockfile --production=false',
        prune: 'yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline',
      },
    });
    expect(app?.notes).toContain(
      'Installing dependencies with yarn, pinned by yarn.lock (yarn from corepack; set "packageManager" in package.json to pin its version).',
    );
  });

  it('yarn berry (lockfile __metadata, .yarnrc.yml or packageManager yarn@4): --immutable, started through yarn', () => {
    for (const found of [
      plan(withDeps, ['yarn.lock'], { yarnLock: '__metadata:\n  version: 8\n' }),
      plan(withDeps, ['yarn.lock', '.yarnrc.yml']),
      plan({ ...withDeps, packageManager: 'yarn@4.5.0' }, ['yarn.lock']),
    ]) {
      expect(found).toMatchObject({
        packageManager: 'yarn-berry',
        install: { all: 'yarn install --immutable', production: 'yarn install --immutable', prune: null },
        command: ['yarn', 'start'],
      });
    }
  });

  it('pnpm: --frozen-lockfile, --prod, pnpm prune after a build', () => {
    expect(
      plan({ ...withDeps, scripts: { start: 'node a.js', build: 'vite build' } }, ['pnpm-lock.yaml']),
    ).toMatchObject({
      packageManager: 'pnpm',
      lockfile: 'pnpm-lock.yaml',
      build: 'pnpm run build',
      install: {
        all: 'pnpm install --frozen-lockfile --prod=false',
        production: 'pnpm install --frozen-lockfile --prod',
        prune: 'pnpm prune --prod',
      },
    });
  });

  it('several lockfiles: packageManager decides, else pnpm, yarn, npm; the ignored ones are named', () => {
    const both = ['package-lock.json', 'yarn.lock'];
    const declared = plan({ ...withDeps, packageManager: 'npm@10.8.0' }, both);
    expect(declared).toMatchObject({ packageManager: 'npm', lockfile: 'package-lock.json' });
    expect(declared?.notes).toContain(
      'Several lockfiles found: using package-lock.json (package.json\'s "packageManager"), ignoring yarn.lock. Remove the ones you do not use.',
    );
    expect(plan(withDeps, both)).toMatchObject({ packageManager: 'yarn', lockfile: 'yarn.lock' });
    expect(plan(withDeps, [...both, 'pnpm-lock.yaml'])).toMatchObject({ packageManager: 'pnpm' });
  });

  it('a lockfile wins over a packageManager without one: installs stay pinned', () => {
    const app = plan({ ...withDeps, packageManager: 'pnpm@9.1.0' }, ['package-lock.json']);
    expect(app).toMatchObject({ packageManager: 'npm', lockfile: 'package-lock.json', corepack: false });
    expect(app?.notes).toContain(
      'package.json\'s "packageManager" names pnpm, but there is no lockfile of it: installing with npm, pinned by package-lock.json.',
    );
  });

  it('installs nothing without dependencies, whatever the lockfile', () => {
    expect(plan({ scripts: { start: 'node a.js' } }, ['pnpm-lock.yaml'])).toMatchObject({
      install: null,
      corepack: false,
      notes: ['Start command (from package.json scripts.start): node a.js', 'No dependencies to install.'],
    });
  });
});

describe('nodeAppFrom: start command', () => {
  it('Procfile web: first, then scripts.start, then main; null without any', () => {
    const manifest = { scripts: { start: 'node server.js' }, main: 'index.js' };
    expect(plan(manifest, [], { procfile: 'node web.js' })?.command).toEqual(['sh', '-c', 'node web.js']);
    expect(plan(manifest, [])?.command).toEqual(['node', 'server.js']);
    expect(plan({ main: 'index.js' }, [])?.command).toEqual(['node', 'index.js']);
    expect(plan({ name: 'x' } as PackageManifest, [])).toBeNull();
  });

  it('runs npm start when the script is more than `node file` or has a prestart', () => {
    expect(plan({ scripts: { start: 'node --watch a.js' } }, [])?.command).toEqual(['npm', 'start']);
    expect(plan({ scripts: { start: 'node a.js', prestart: 'x' } }, [])?.command).toEqual(['npm', 'start']);
  });
});

describe('declaredPackageManager', () => {
  it('reads corepack’s packageManager field', () => {
    expect(declaredPackageManager('pnpm@9.12.0+sha512.abc')).toBe('pnpm');
    expect(declaredPackageManager('yarn@1.22.22')).toBe('yarn');
    expect(declaredPackageManager('yarn@3.6.0')).toBe('yarn-berry');
    expect(declaredPackageManager('bun@1')).toBeNull();
    expect(declaredPackageManager(42)).toBeNull();
  });
});
