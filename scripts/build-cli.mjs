// Bundles the CLI into one file that runs with plain `node` (cli/dist/rise.js).
import { build } from 'esbuild';

await build({
  entryPoints: ['cli/src/index.ts'],
  outfile: 'cli/dist/rise.js',
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
