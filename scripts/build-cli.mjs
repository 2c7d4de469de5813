// Bundles the CLI into one file that runs with plain `node` (cli/dist/rise.js), and links it as
// node_modules/.bin/rise, where `npx rise` finds it.
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { build } from 'esbuild';

const outfile = 'cli/dist/rise.js';
await build({
  entryPoints: ['cli/src/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Bundled CommonJS dependencies (commander) call require(); give the ES module one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __riseCreateRequire } from 'node:module';\nconst require = __riseCreateRequire(import.meta.url);",
  },
  // ssh2 (for ssh:// Docker hosts) carries an optional native addon; it loads from node_modules.
  external: ['ssh2', 'cpu-features'],
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);

// package.json has no `bin`: npm 11's npx would install the checkout itself into its cache to run a
// bin of the current project, which strict-allow-scripts refuses (our own postinstall is unreviewed).
if (existsSync('node_modules')) {
  const link = 'node_modules/.bin/rise';
  mkdirSync('node_modules/.bin', { recursive: true });
  rmSync(link, { force: true });
  symlinkSync('../../cli/dist/rise.js', link);
}
