import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The dependency rules of ARCHITECTURE.md (.dependency-cruiser.cjs), run exactly as `npm run lint`
// runs them: on a small tree with one forbidden import per rule, and on this repository (a cruise of
// the whole tree takes seconds, hence the longer timeouts).

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLI = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

type Violation = { from: string; to: string; rule: { name: string; severity: string }; cycle?: unknown[] };

/** The directories `npm run lint:deps` checks, read from package.json so the two cannot drift. */
function lintedPaths(): string[] {
  const script: string = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts[
    'lint:deps'
  ];
  const args = script.split(/\s+/).slice(1);
  return args.filter((arg, index) => !arg.startsWith('-') && !args[index - 1]?.startsWith('--config'));
}

async function cruise(cwd: string, paths: string[]): Promise<Violation[]> {
  const run = await promisify(execFile)(
    process.execPath,
    [CLI, '--config', CONFIG, '--output-type', 'json', ...paths],
    { cwd, maxBuffer: 256 * 1024 * 1024 },
  ).catch((error: { stdout?: string; code?: number }) => {
    // Violations make the CLI exit with their count; its JSON report is still on stdout.
    if (typeof error.stdout === 'string' && error.stdout.startsWith('{')) return { stdout: error.stdout };
    throw error;
  });
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler', paths: { '@/*': ['./src/*'] } },
  }),
  'node_modules/dockerode/package.json': JSON.stringify({ name: 'dockerode', main: 'index.js' }),
  'node_modules/dockerode/index.js': 'module.exports = class Docker {};\n',
  'src/server/db.ts': 'export const db = {};\n',
  'src/generated/prisma/client.ts': 'export type AppRow = { id: string };\nexport const Prisma = {};\n',
  'src/server/errors.ts': 'export class AppError extends Error {}\n',
  'src/server/api/root.ts': 'export type AppRouter = { ok: true };\nexport const appRouter = {};\n',
  'src/server/runtime/types.ts': 'export type Runtime = { start(): void };\n',
  'src/server/runtime/docker/docker-runtime.ts':
    "import Docker from 'dockerode';\nexport const docker = new Docker();\n",
  'src/server/auth/session.ts': 'export const session = 1;\n',
  // A domain may use its repository, AppError, the Runtime interface and Prisma's types...
  'src/server/domains/apps/app.repo.ts': "import { db } from '@/server/db';\nexport const appRepo = db;\n",
  'src/server/domains/apps/app.service.ts': [
    "import type { AppRow } from '@/generated/prisma/client';",
    "import type { Runtime } from '@/server/runtime/types';",
    "import { AppError } from '@/server/errors';",
    "import { appRepo } from './app.repo';",
    'export const start = (runtime: Runtime, row: AppRow) => (appRepo ? runtime.start() : new AppError(row.id));',
  ].join('\n'),
  // ...but neither dockerode, nor a Docker adapter, nor the database or Prisma's runtime, nor auth.
  'src/server/domains/apps/app-runner.ts': [
    "import Docker from 'dockerode';",
    "import { docker } from '@/server/runtime/docker/docker-runtime';",
    "import { db } from '@/server/db';",
    "import { Prisma } from '@/generated/prisma/client';",
    "import { session } from '@/server/auth/session';",
    'export const run = () => [new Docker(), docker, db, Prisma, session];',
  ].join('\n'),
  // Integration tests wire real adapters: held to no cycles only.
  'src/server/domains/apps/app.int.test.ts':
    "import Docker from 'dockerode';\nimport { db } from '@/server/db';\nexport const wired = [new Docker(), db];\n",
  // Two jobs modules that import each other.
  'src/server/jobs/first.ts': "import { second } from './second';\nexport const first = () => second;\n",
  'src/server/jobs/second.ts': "import { first } from './first';\nexport const second = () => first;\n",
  'src/shared/names.ts': 'export const NAMES = ["a"];\n',
  // The CLI may import src/shared and the router's type, not server code.
  'cli/src/index.ts': [
    "import type { AppRouter } from '../../src/server/api/root';",
    "import { NAMES } from '../../src/shared/names';",
    "import { db } from '../../src/server/db';",
    'export const main = (router?: AppRouter) => [router, NAMES, db];',
  ].join('\n'),
  // Fakes serve unit tests: shipped code may not import one.
  'src/server/runtime/fake.ts': 'export const fakeRuntime = { start() {} };\n',
  'src/server/domains/apps/testing/fake-apps.ts':
    "import { fakeRuntime } from '@/server/runtime/fake';\nexport const fakeApps = [fakeRuntime];\n",
  'src/server/domains/apps/app-starter.ts':
    "import { fakeRuntime } from '@/server/runtime/fake';\nexport const starter = fakeRuntime;\n",
  'cli/src/router.ts':
    "import { appRouter } from '../../src/server/api/root';\nexport const router = appRouter;\n",
};

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let fixture: string;
  beforeAll(() => {
    fixture = mkdtempSync(path.join(tmpdir(), 'rise-dependency-rules-'));
    for (const [file, content] of Object.entries(FIXTURE)) {
      mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
      writeFileSync(path.join(fixture, file), content);
    }
  });
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('reports each forbidden import of a small tree, and nothing else', async () => {
    const violations = await cruise(fixture, ['src', 'cli']);
    const reported = violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`).sort();
    expect(reported).toEqual(
      [
        'cli-imports-api-router-as-type-only: cli/src/router.ts → src/server/api/root.ts',
        'cli-imports-only-shared: cli/src/index.ts → src/server/db.ts',
        'domains-no-adapters: src/server/domains/apps/app-runner.ts → src/server/runtime/docker/docker-runtime.ts',
        'domains-no-framework-or-adapter-packages: src/server/domains/apps/app-runner.ts → node_modules/dockerode/index.js',
        'domains-not-auth: src/server/domains/apps/app-runner.ts → src/server/auth/session.ts',
        'no-circular: src/server/jobs/first.ts → src/server/jobs/second.ts',
        'domains-no-adapters: src/server/domains/apps/app-starter.ts → src/server/runtime/fake.ts',
        'no-test-support-in-shipped-code: src/server/domains/apps/app-starter.ts → src/server/runtime/fake.ts',
        'prisma-only-in-repositories: cli/src/index.ts → src/server/db.ts',
        'prisma-only-in-repositories: src/server/domains/apps/app-runner.ts → src/generated/prisma/client.ts',
        'prisma-only-in-repositories: src/server/domains/apps/app-runner.ts → src/server/db.ts',
      ].sort(),
    );
    expect(violations.every((violation) => violation.rule.severity === 'error')).toBe(true);
  }, 30_000);

  it('finds no violation in this repository', async () => {
    const violations = await cruise(ROOT, lintedPaths());
    const reported = violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`);
    console.log(`dependency violations in this repository (${reported.length}):\n${reported.join('\n')}`);
    expect(reported).toEqual([]);
  }, 60_000);
});
