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
        'prisma-only-in-repositories: cli/src/index.ts → src/server/db.ts',
        'prisma-only-in-repositories: src/server/domains/apps/app-runner.ts → src/generated/prisma/client.ts',
        'prisma-only-in-repositories: src/server/domains/apps/app-runner.ts → src/server/db.ts',
      ].sort(),
    );
    expect(violations.every((violation) => violation.rule.severity === 'error')).toBe(true);
  }, 30_000);

  it('finds no violation in this repository beyond those still being fixed', async () => {
    const violations = await cruise(ROOT, lintedPaths());
    const reported = violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`);
    console.log(`dependency violations in this repository (${reported.length}):\n${reported.join('\n')}`);
    expect(reported.filter((line) => !KNOWN_VIOLATIONS.includes(line))).toEqual([]);
  }, 60_000);
});

/**
 * Violations other changes of issue 16 are removing. Once the branches are merged this list is empty
 * and the assertion above becomes `expect(reported).toEqual([])`.
 */
const KNOWN_VIOLATIONS: readonly string[] = [
  'cli-imports-only-shared: cli/src/commands/database-backup.ts → src/server/domains/backups/backup.schema.ts',
  'cli-imports-only-shared: cli/src/commands/database-backup.ts → src/server/domains/databases/database.schema.ts',
  'cli-imports-only-shared: cli/src/commands/database-destination.ts → src/server/domains/backups/backup.schema.ts',
  'cli-imports-only-shared: cli/src/commands/database.ts → src/server/domains/databases/connection-env.ts',
  'cli-imports-only-shared: cli/src/commands/database.ts → src/server/domains/databases/database.schema.ts',
  'cli-imports-only-shared: cli/src/commands/deployment.ts → src/server/registry/image-reference.ts',
  'cli-imports-only-shared: cli/src/commands/domain.ts → src/server/domains/custom-domains/domain.schema.ts',
  'cli-imports-only-shared: cli/src/commands/registry.ts → src/server/domains/registry-logins/registry-login-host.schema.ts',
  'cli-imports-only-shared: cli/src/commands/registry.ts → src/server/domains/registry-logins/registry-login.schema.ts',
  'cli-imports-only-shared: cli/src/lib/rise-toml.ts → src/server/registry/image-reference.ts',
  'domains-no-adapters: src/server/domains/backups/verified-download.ts → src/server/backups/storage/backup-store.ts',
  'no-circular: src/components/project-settings/domain-list.tsx → src/components/project-settings/domain-proof.tsx',
  'prisma-only-in-repositories: src/server/domains/backups/backup.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/backups/destination.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/backups/restore.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/backups/schedule.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/databases/database.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/deployments/build-log.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/deployments/deployment.service.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/deployments/reconcile.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/deployments/run-deployment.ts → src/server/db.ts',
  'prisma-only-in-repositories: src/server/domains/deployments/slot-ports.ts → src/server/db.ts',
  'registry-protocol-only: src/server/registry/image-resolver.ts → src/server/domains/deployments/engine-deps.ts',
  'registry-protocol-only: src/server/registry/registry-logins.ts → src/server/domains/registry-logins/registry-login.service.ts',
];
