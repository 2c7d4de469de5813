// `npm start`'s web server: `next start` without reading next.config.ts. Next transpiles a TypeScript
// config with its native SWC binding (about 25 MiB resident for the server's lifetime); the build
// already wrote the resolved config to .next/required-server-files.json, which is what Next's own
// standalone server.js (the Docker image's web server) runs with.
// Usage: node scripts/web-server.mjs <port> <host>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [port, hostname] = process.argv.slice(2);
if (!port || !hostname) throw new Error('usage: node scripts/web-server.mjs <port> <host>');
const dir = process.cwd();
const { config } = JSON.parse(readFileSync(path.join(dir, '.next', 'required-server-files.json'), 'utf8'));
process.env.NODE_ENV = 'production';
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
const require = createRequire(path.join(dir, 'package.json'));
require('next');
const { startServer } = require('next/dist/server/lib/start-server');
await startServer({ dir, isDev: false, config, hostname, port: Number(port), allowRetry: false });
