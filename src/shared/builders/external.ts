import { spawn as nodeSpawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { BuildError, type BuildInput, type BuildResult, type ExternalToolOptions } from './types';

// Shared runner of the external build tools (pack, nixpacks, railpack). None of them is installed in
// Rise's development and CI environment: their adapters are tested by the argv they produce (a fake
// executable first on PATH) and by the error when the tool is missing.

export interface ToolSpec {
  /** The backend's name, for the error when the tool is missing. */
  backend: string;
  tool: string;
  install: string;
}

/** Finds an executable on a PATH string, like `command -v`. */
export async function findExecutable(name: string, searchPath: string | undefined): Promise<string | null> {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    const ok = await access(candidate, constants.X_OK).then(
      () => stat(candidate).then((info) => info.isFile()),
      () => false,
    );
    if (ok) return candidate;
  }
  return null;
}

export function missingToolError(spec: ToolSpec): BuildError {
  return new BuildError(
    `The '${spec.backend}' build backend needs the \`${spec.tool}\` CLI, which was not found on PATH. ` +
      `Install it (${spec.install}), or build without it: set backend = "auto" (detects Node, Python, Go ` +
      'and static sites) or backend = "dockerfile" under [build] in .rise.toml (or pass --backend auto).',
  );
}

/** Runs `tool args…` (an argument array, never a shell string), streaming its output lines to onLog. */
export async function runTool(
  spec: ToolSpec,
  args: string[],
  input: BuildInput,
  options: ExternalToolOptions,
): Promise<BuildResult> {
  const searchPath = options.path ?? process.env.PATH;
  const executable = await findExecutable(spec.tool, searchPath);
  if (!executable) throw missingToolError(spec);
  const spawn = options.spawn ?? nodeSpawn;
  input.onLog(`$ ${spec.tool} ${args.join(' ')}`);
  const child = spawn(executable, args, {
    cwd: path.resolve(input.context),
    env: { ...process.env, PATH: searchPath },
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: input.signal,
  });
  const recent: string[] = [];
  const lines = (stream: NodeJS.ReadableStream | null) => {
    let pending = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (pending + chunk.toString()).split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const line of parts) emit(line);
    });
    stream?.on('end', () => pending && emit(pending));
  };
  const emit = (line: string) => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    input.onLog(line);
  };
  lines(child.stdout);
  lines(child.stderr);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (error) => (input.signal?.aborted ? resolve(null) : reject(error)));
    child.on('close', (exit) => resolve(exit));
  });
  if (input.signal?.aborted) throw new BuildError('Build cancelled.');
  if (code !== 0) {
    throw new BuildError(`${spec.tool} build of ${input.tag} failed (exit code ${code}).`, {
      output: recent.join('\n'),
    });
  }
  if (input.labels && Object.keys(input.labels).length > 0) await addLabels(input, options);
  const inspect =
    options.inspectImage ??
    (async (tag: string) => (await (options.docker ?? new Dockerode()).getImage(tag).inspect()).Id);
  return { tag: input.tag, imageId: await inspect(input.tag) };
}

/**
 * The external tools cannot all label their images: a one-line build (`FROM <tag>` with the labels)
 * adds them and takes over the tag. No layer is added, only the image config changes.
 */
async function addLabels(input: BuildInput, options: ExternalToolOptions): Promise<void> {
  const { buildWithEngine } = await import('./dockerfile');
  const empty = await mkdtemp(path.join(tmpdir(), 'rise-label-'));
  try {
    await buildWithEngine(
      options.docker ?? new Dockerode(),
      { context: empty, tag: input.tag, labels: input.labels, onLog: input.onLog, signal: input.signal },
      { content: `FROM ${input.tag}\n` },
    );
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}

/** `--env KEY=VALUE` pairs, in a stable order. */
export function envArgs(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([key, value]) => ['--env', `${key}=${value}`]);
}
