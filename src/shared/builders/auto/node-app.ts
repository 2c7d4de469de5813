import { BuildError } from '../types';

// How the `auto` builder installs, builds and starts a Node.js app: decided from package.json and
// the files beside it, without touching the file system (detect.ts reads them).

export const LOCKFILE_NAMES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
] as const;

export type PackageManager = 'npm' | 'yarn' | 'yarn-berry' | 'pnpm';

export interface PackageManifest {
  main?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  packageManager?: unknown;
}

export interface NodeApp {
  packageManager: PackageManager;
  /** The lockfile the install is pinned to; null when there is none (`npm install`, unpinned). */
  lockfile: string | null;
  /** Copied before installing, so the install layer is cached until one of them changes; `dir/` = a directory. */
  manifests: string[];
  /** yarn and pnpm come from corepack (shipped with Node's images up to Node 24). */
  corepack: boolean;
  /** Null when there is nothing to install. */
  install: {
    /** Everything, devDependencies included (before a build). */
    all: string;
    /** Only what the app needs to run. */
    production: string;
    /** Drops devDependencies after a build; null when the package manager cannot (yarn berry). */
    prune: string | null;
  } | null;
  /** `<pm> run build` when package.json has a build script. */
  build: string | null;
  command: string[];
  /** What the build output says: the start command's origin, the lockfile used, unpinned installs. */
  notes: string[];
}

/** The lockfiles of each package manager (npm reads a shrinkwrap before package-lock.json). */
const LOCKFILE_OF: Record<'npm' | 'yarn' | 'pnpm', readonly string[]> = {
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  npm: ['npm-shrinkwrap.json', 'package-lock.json'],
};

/** `"packageManager": "pnpm@9.1.0"` (corepack's field) → pnpm; yarn 2 and later is berry. */
export function declaredPackageManager(field: unknown): PackageManager | null {
  if (typeof field !== 'string') return null;
  const match = /^(npm|yarn|pnpm)@(\d+)/.exec(field.trim());
  if (!match) return null;
  if (match[1] === 'yarn') return Number(match[2]) >= 2 ? 'yarn-berry' : 'yarn';
  return match[1] as PackageManager;
}

type Family = 'npm' | 'yarn' | 'pnpm';

const isYarnBerry = (files: Set<string>, yarnLock: string, declared: PackageManager | null) =>
  declared === 'yarn-berry' || files.has('.yarnrc.yml') || /^__metadata:/m.test(yarnLock);

/**
 * The package manager and lockfile: a lockfile that is there always wins (package.json's
 * `packageManager` breaks a tie between several), so installs are pinned whenever they can be.
 */
function choosePackageManager(
  declared: PackageManager | null,
  files: Set<string>,
  yarnLock: string,
): { packageManager: PackageManager; lockfile: string | null; notes: string[] } {
  const lockfileOf = (family: Family) => LOCKFILE_OF[family].find((name) => files.has(name)) ?? null;
  const locked = (['pnpm', 'yarn', 'npm'] as const).filter((family) => lockfileOf(family));
  if (locked.length === 0) return { packageManager: 'npm', lockfile: null, notes: [] };
  const declaredFamily: Family | null = declared === 'yarn-berry' ? 'yarn' : declared;
  const family = declaredFamily && locked.includes(declaredFamily) ? declaredFamily : locked[0]!;
  const lockfile = lockfileOf(family)!;
  const packageManager: PackageManager =
    family === 'yarn' && isYarnBerry(files, yarnLock, declared) ? 'yarn-berry' : family;
  const notes: string[] = [];
  const ignored = locked.filter((other) => other !== family).map((other) => lockfileOf(other));
  if (ignored.length > 0) {
    notes.push(
      `Several lockfiles found: using ${lockfile}${family === declaredFamily ? ' (package.json\'s "packageManager")' : ''}, ignoring ${ignored.join(', ')}. Remove the ones you do not use.`,
    );
  }
  if (declaredFamily && declaredFamily !== family) {
    notes.push(
      `package.json's "packageManager" names ${declaredFamily}, but there is no lockfile of it: installing with ${family}, pinned by ${lockfile}.`,
    );
  }
  return { packageManager, lockfile, notes };
}

function installCommands(manager: PackageManager, lockfile: string | null): NonNullable<NodeApp['install']> {
  switch (manager) {
    case 'npm':
      return lockfile
        ? { all: 'npm ci --include=dev', production: 'npm ci --omit=dev', prune: 'npm prune --omit=dev' }
        : {
            all: 'npm install --include=dev',
            production: 'npm install --omit=dev',
            prune: 'npm prune --omit=dev',
          };
    case 'yarn':
      return {
        all: 'yarn install --frozen-lockfile --production=false',
        production: 'yarn install --frozen-lockfile --production',
        prune: 'yarn install --frozen-lockfile --production --ignore-scripts --prefer-offline',
      };
    case 'yarn-berry':
      return { all: 'yarn install --immutable', production: 'yarn install --immutable', prune: null };
    case 'pnpm':
      return {
        all: 'pnpm install --frozen-lockfile --prod=false',
        production: 'pnpm install --frozen-lockfile --prod',
        prune: 'pnpm prune --prod',
      };
  }
}

const RUNNER: Record<PackageManager, string> = {
  npm: 'npm',
  yarn: 'yarn',
  'yarn-berry': 'yarn',
  pnpm: 'pnpm',
};

/**
 * The start command: a Procfile `web:` line, else package.json's `start` script, else its `main`.
 * Null when there is none of them (the app may still be a static site).
 */
function startCommand(
  manifest: PackageManifest,
  manager: PackageManager,
  procfile: string | null,
): { command: string[]; source: string; shown: string } | null {
  if (procfile) return { command: ['sh', '-c', procfile], source: 'Procfile web:', shown: procfile };
  const scripts = manifest.scripts ?? {};
  const start = typeof scripts.start === 'string' ? scripts.start.trim() : '';
  // yarn berry's Plug'n'Play resolves modules only when started through yarn.
  const viaYarn = manager === 'yarn-berry';
  if (start) {
    // `node file.js` runs directly: node is PID 1 and gets SIGTERM (npm does not forward it well).
    const direct = /^node\s+([\w./@-]+)$/.exec(start);
    const command =
      direct?.[1] && !scripts.prestart && !viaYarn
        ? ['node', direct[1]]
        : viaYarn
          ? ['yarn', 'start']
          : ['npm', 'start'];
    return { command, source: 'package.json scripts.start', shown: command.join(' ') };
  }
  if (typeof manifest.main === 'string' && manifest.main.trim()) {
    const main = manifest.main.trim();
    const command = viaYarn ? ['yarn', 'node', main] : ['node', main];
    return { command, source: 'package.json main', shown: command.join(' ') };
  }
  return null;
}

/** The install/build/start plan of a Node.js app, or null when it has no way to start. */
export function nodeAppFrom(
  manifest: PackageManifest,
  found: { files: Set<string>; procfile: string | null; yarnLock?: string },
  context = '.',
): NodeApp | null {
  const declared = declaredPackageManager(manifest.packageManager);
  const { packageManager, lockfile, notes } = choosePackageManager(
    declared,
    found.files,
    found.yarnLock ?? '',
  );
  const start = startCommand(manifest, packageManager, found.procfile);
  if (!start) return null;
  const scripts = manifest.scripts ?? {};
  const hasBuildScript = typeof scripts.build === 'string';
  const dependencies =
    Object.keys(manifest.dependencies ?? {}).length > 0 ||
    (hasBuildScript && Object.keys(manifest.devDependencies ?? {}).length > 0);
  const install = dependencies ? installCommands(packageManager, lockfile) : null;
  const build = hasBuildScript ? `${RUNNER[packageManager]} run build` : null;
  const runner = RUNNER[packageManager];

  const manifests = ['package.json'];
  if (lockfile) manifests.push(lockfile);
  if (packageManager === 'yarn-berry') {
    if (found.files.has('.yarnrc.yml')) manifests.push('.yarnrc.yml');
    if (found.files.has('.yarn/')) manifests.push('.yarn/');
  }
  if (packageManager === 'pnpm' && found.files.has('pnpm-workspace.yaml'))
    manifests.push('pnpm-workspace.yaml');

  const said = [`Start command (from ${start.source}): ${start.shown}`];
  if (!install) said.push('No dependencies to install.');
  else if (lockfile) {
    said.push(
      `Installing dependencies with ${runner}, pinned by ${lockfile}${packageManager === 'npm' ? '' : ` (${runner} from corepack; set "packageManager" in package.json to pin its version)`}.`,
    );
  } else {
    said.push(
      `No lockfile (${LOCKFILE_NAMES.join(', ')}) in ${context}: installing with \`npm install\`, so dependency versions are not pinned. Commit a lockfile for reproducible builds.`,
    );
  }
  if (install && !install.prune && build) {
    said.push('yarn (berry) cannot drop devDependencies after the build: they stay in the image.');
  }
  return {
    packageManager,
    lockfile,
    manifests,
    corepack: packageManager !== 'npm' && Boolean(install || build),
    install,
    build,
    command: start.command,
    notes: [...said, ...notes],
  };
}

/** Refuses a package.json that is not an object (e.g. `[]`), with the file named. */
export function assertManifest(value: unknown, context: string): asserts value is PackageManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BuildError(`package.json in ${context} must be a JSON object.`);
  }
}
