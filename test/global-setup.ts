import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runPrisma } from '../scripts/prisma.mjs';
import { keepProcessExitCode, startEmbeddedPostgres } from '../src/server/platform/embedded-postgres';
import { freePort } from '../src/server/platform/free-port';
import { databaseUrl, type TestPostgres } from './postgres-info';

/**
 * One real PostgreSQL server for the whole integration run, with a migrated template database;
 * each test file gets its own copy of the template (see setup-database.ts).
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rise-test-pg-'));
  const port = await freePort();
  const info: TestPostgres = {
    host: '127.0.0.1',
    port,
    user: 'rise',
    password: 'rise-test',
    template: 'rise_template',
  };
  // Failed tests must fail the run: see keepProcessExitCode.
  keepProcessExitCode();
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    password: info.password,
    database: info.template,
    persistent: false,
  });
  const code = await runPrisma(['migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(info, info.template) },
    stdio: 'pipe',
  });
  if (code !== 0) throw new Error(`migrate deploy on the test template failed (exit ${code})`);
  project.provide('postgres', info);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
