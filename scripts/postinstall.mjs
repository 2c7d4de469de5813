// `npm ci` / `npm install`: generates the Prisma client, then builds the `rise` CLI so that `npx rise`
// works from a checkout. The Docker image installs before copying cli/ and builds the CLI later.
import { existsSync } from 'node:fs';
import { runPrisma } from './prisma.mjs';

const code = await runPrisma(['generate']);
if (code !== 0) process.exit(code);
if (existsSync('cli/src/index.ts')) await import('./build-cli.mjs');
