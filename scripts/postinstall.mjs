// `npm ci` / `npm install`: generates the Prisma client, then builds the `rise` CLI so that `npx rise`
// works from a checkout, and bundles the worker and `npm start`'s launcher into dist/. The Docker image
// installs before copying the sources and builds what it needs later.
import { existsSync } from 'node:fs';
import { runPrisma } from './prisma.mjs';

const code = await runPrisma(['generate']);
if (code !== 0) process.exit(code);
if (existsSync('cli/src/index.ts')) await import('./build-cli.mjs');
if (existsSync('worker/main.ts') && existsSync('scripts/start.ts')) await import('./build-server.mjs');
