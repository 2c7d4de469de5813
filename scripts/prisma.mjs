#!/usr/bin/env node
// Runs the Prisma CLI: `node scripts/prisma.mjs <prisma args...>`.
//
// Prisma downloads a native schema engine for `generate` and `migrate`, which fails without internet access.
// Unless PRISMA_SCHEMA_ENGINE_BINARY is already set, or RISE_PRISMA_ENGINE=native asks for the stock engine,
// the CLI is pointed at scripts/prisma-schema-engine.mjs, which runs the WebAssembly build of that engine.

import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
export const schemaEngineShim = fileURLToPath(new URL('./prisma-schema-engine.mjs', import.meta.url));

/** The environment the Prisma CLI should run with, derived from `env`. */
export function prismaEnv(env = process.env) {
  /** @type {NodeJS.ProcessEnv} */
  const result = { PRISMA_HIDE_UPDATE_MESSAGE: '1', ...env };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY && env.RISE_PRISMA_ENGINE !== 'native') {
    result.PRISMA_SCHEMA_ENGINE_BINARY = schemaEngineShim;
    // Skip the update check, a network call.
    result.CHECKPOINT_DISABLE ??= '1';
  }
  return result;
}

/**
 * Runs the Prisma CLI with `args` and resolves with its exit code. With piped stdio the output is
 * collected and written to stderr only if the command fails.
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, stdio?: 'inherit' | 'pipe' }} [options]
 * @returns {Promise<number>}
 */
export function runPrisma(args, { env = process.env, cwd, stdio = 'inherit' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, ...args], { env: prismaEnv(env), cwd, stdio });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
      if (exitCode !== 0 && output.length) process.stderr.write(Buffer.concat(output));
      resolve(exitCode);
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await runPrisma(process.argv.slice(2));
}
