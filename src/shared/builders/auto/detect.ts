import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../types';
import { assertManifest, LOCKFILE_NAMES, type NodeApp, nodeAppFrom } from './node-app';

/** What the `auto` builder found in a build context, with just enough facts to write a Dockerfile. */
export type DetectedApp =
  | { kind: 'dockerfile'; dockerfile: string }
  | ({ kind: 'node' } & NodeApp)
  | { kind: 'python'; requirements: boolean; pyproject: boolean; command: string[] }
  | { kind: 'go'; goSum: boolean; packagePath: string }
  | { kind: 'static'; dir: string };

export type GeneratedApp = Exclude<DetectedApp, { kind: 'dockerfile' }>;

export const LOOKED_FOR = [
  'a Dockerfile',
  'package.json (Node)',
  'requirements.txt or pyproject.toml (Python)',
  'go.mod (Go)',
  'index.html, public/index.html or dist/index.html (static site)',
];

/** Thrown when nothing in the context says how to build it; names what was looked for and the fixes. */
export class UnknownProjectError extends BuildError {
  constructor(context: string, reason?: string) {
    super(
      [
        reason ?? `Could not detect how to build ${context}.`,
        `Looked for ${LOOKED_FOR.join(', ')}.`,
        'Add a Dockerfile, or set `backend` under [build] in .rise.toml to "dockerfile", "buildpacks", ' +
          '"nixpacks" or "railpack" (or pass --backend).',
      ].join('\n'),
    );
    this.name = 'UnknownProjectError';
  }
}

/** Inspects a build context: a Dockerfile wins; else Node, Python, Go, then a static site. */
export async function detectApp(
  context: string,
  options: { dockerfile?: string } = {},
): Promise<DetectedApp> {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  if (await isFile(path.join(context, dockerfile))) return { kind: 'dockerfile', dockerfile };
  if (options.dockerfile) {
    throw new BuildError(
      `The Dockerfile '${options.dockerfile}' set in .rise.toml does not exist in ${context}. ` +
        'Fix the `dockerfile` path, or remove it to let Rise detect the app.',
    );
  }

  const procfile = await readProcfileWeb(context);
  if (await isFile(path.join(context, 'package.json'))) {
    const node = await detectNode(context, procfile);
    if (node) return node;
  }
  const requirements = await isFile(path.join(context, 'requirements.txt'));
  const pyproject = await isFile(path.join(context, 'pyproject.toml'));
  if (requirements || pyproject) return detectPython(context, { requirements, pyproject }, procfile);
  if (await isFile(path.join(context, 'go.mod'))) return detectGo(context);
  for (const dir of ['.', 'public', 'dist']) {
    if (await isFile(path.join(context, dir, 'index.html'))) return { kind: 'static', dir };
  }
  if (await isFile(path.join(context, 'package.json'))) {
    throw new UnknownProjectError(
      context,
      `package.json in ${context} has neither a "start" script nor "main", so Rise does not know how to ` +
        'start the app. Add "scripts": { "start": "node server.js" } (listening on $PORT, default 8080).',
    );
  }
  throw new UnknownProjectError(context);
}

async function detectNode(context: string, procfile: string | null): Promise<DetectedApp | null> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(context, 'package.json'), 'utf8'));
  } catch (error) {
    throw new BuildError(`package.json in ${context} is not valid JSON: ${(error as Error).message}`);
  }
  assertManifest(manifest, context);
  const files = new Set<string>();
  for (const name of [...LOCKFILE_NAMES, '.yarnrc.yml', 'pnpm-workspace.yaml']) {
    if (await isFile(path.join(context, name))) files.add(name);
  }
  if (await isDirectory(path.join(context, '.yarn'))) files.add('.yarn/');
  const yarnLock = files.has('yarn.lock')
    ? await readFile(path.join(context, 'yarn.lock'), 'utf8').catch(() => '')
    : '';
  const app = nodeAppFrom(manifest, { files, procfile, yarnLock }, context);
  return app && { kind: 'node', ...app };
}

async function detectPython(
  context: string,
  files: { requirements: boolean; pyproject: boolean },
  procfile: string | null,
): Promise<DetectedApp> {
  let command: string[] | null = procfile ? ['sh', '-c', procfile] : null;
  for (const file of ['main.py', 'app.py', 'server.py']) {
    if (command) break;
    if (await isFile(path.join(context, file))) command = ['python', file];
  }
  if (!command) {
    throw new UnknownProjectError(
      context,
      `Found a Python project in ${context} but no way to start it: add a Procfile with ` +
        '`web: <command>` or a main.py, app.py or server.py (listening on $PORT, default 8080).',
    );
  }
  return { kind: 'python', ...files, command };
}

async function detectGo(context: string): Promise<DetectedApp> {
  const goSum = await isFile(path.join(context, 'go.sum'));
  const entries = await readdir(context);
  if (entries.some((name) => name.endsWith('.go') && !name.endsWith('_test.go'))) {
    return { kind: 'go', goSum, packagePath: '.' };
  }
  const commands = await readdir(path.join(context, 'cmd')).catch(() => [] as string[]);
  if (commands.length === 1) return { kind: 'go', goSum, packagePath: `./cmd/${commands[0]}` };
  throw new UnknownProjectError(
    context,
    `Found go.mod in ${context} but no main package: expected .go files at the top level or exactly one ` +
      `directory under cmd/ (found ${commands.length}).`,
  );
}

async function readProcfileWeb(context: string): Promise<string | null> {
  const text = await readFile(path.join(context, 'Procfile'), 'utf8').catch(() => null);
  const line = text?.split('\n').find((entry) => entry.startsWith('web:'));
  return line ? line.slice('web:'.length).trim() || null : null;
}

async function isDirectory(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.isFile(),
    () => false,
  );
}
