import { parse, TomlError } from 'smol-toml';
import { z } from 'zod';
import type { BaseImages } from './builders/auto/generate';
import { BUILDER_BACKENDS, DEFAULT_BUILDER_BACKEND } from './builders/backends';
import { BASE_IMAGE_SETTINGS, type BaseImageKey } from './builders/build-settings';
import { cronJobsInput } from './cron/cron-job.schema';
import { commandArgv, commandInput } from './deployments/commands';
import {
  branchName,
  dockerfilePath,
  gitProvider,
  previewExpiry,
  repositoryUrl,
  rootDirectory,
  watchPaths,
} from './git/git-source.schema';
import { MAX_PROCESSES, processName, replicaCount, WEB } from './processes/process.schema';
import { imageReferenceProblem } from './registry/image-reference';
import { RUNTIME_NAMES } from './runtimes';

// `.rise.toml`, the project file the CLI reads for a client build and the server reads from a cloned
// repository for a server build: one schema and one parser for both.

export const RISE_TOML = '.rise.toml';

const memory = z.union([
  z.number().int().min(16),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(M|Mi|MB|G|Gi|GB)$/i, { message: 'expected a size such as "512M" or "1G"' }),
]);

/** Memory in MB from `512`, `"512M"`, `"1G"`, `"1Gi"`. */
export function memoryMb(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*([MG])/i.exec(value)!;
  return Math.round(Number(amount) * (unit!.toUpperCase() === 'G' ? 1024 : 1));
}

const cpu = z.number().positive().max(64);

/**
 * One entry of `[processes]`: a command (a string or an argument vector), or a table with the command
 * and the process's replicas, CPU and memory. `web` may leave its command out (a table of settings).
 */
const processEntry = z.preprocess(
  (value) => (typeof value === 'string' || Array.isArray(value) ? { command: value } : value),
  z
    .object({
      command: commandInput.optional(),
      replicas: replicaCount.optional(),
      cpu: cpu.optional(),
      memory: memory.optional(),
    })
    .strict(),
);
export type ProcessToml = z.infer<typeof processEntry>;

const processesTable = z.record(processName, processEntry).superRefine((processes, context) => {
  if (Object.keys(processes).filter((name) => name !== WEB).length > MAX_PROCESSES)
    context.addIssue({ code: 'custom', message: `expected at most ${MAX_PROCESSES} processes besides web` });
  for (const [name, process] of Object.entries(processes)) {
    if (name === 'release') {
      context.addIssue({
        code: 'custom',
        path: [name],
        message: 'the release command is `release` under [deploy], not a process',
      });
    } else if (name !== WEB && process.command === undefined) {
      context.addIssue({
        code: 'custom',
        path: [name, 'command'],
        message: 'a process needs a command, e.g. worker = "node worker.js"',
      });
    }
  }
});

/** A base image for the auto builder's generated Dockerfiles, by the OCI reference grammar. */
const baseImage = z
  .string()
  .max(1024)
  .superRefine((value, context) => {
    const problem = imageReferenceProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `${problem} (e.g. "node:24-bookworm-slim")` });
  });

export const riseTomlSchema = z
  .object({
    project: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/, { message: 'expected a project name (DNS label)' }),
    build: z
      .object({
        backend: z.enum(BUILDER_BACKENDS).default(DEFAULT_BUILDER_BACKEND),
        dockerfile: z.string().min(1).optional(),
        context: z.string().min(1).optional(),
        builder: z.string().min(1).optional(),
        // Base images of the auto builder; each overrides the Rise server's RISE_BUILD_* default.
        node_image: baseImage.optional(),
        python_image: baseImage.optional(),
        go_image: baseImage.optional(),
        runtime_image: baseImage.optional(),
        static_image: baseImage.optional(),
        static_root: z
          .string()
          .regex(/^\//, { message: 'expected an absolute path in the image, e.g. "/srv"' })
          .optional(),
        static_command: z
          .array(z.string().min(1, { message: 'expected a non-empty argument' }), {
            message: 'expected an array of strings, e.g. ["caddy", "file-server", "--listen", ":8080"]',
          })
          .min(1, { message: 'expected at least the program to run' })
          .optional(),
      })
      .strict()
      .optional(),
    deploy: z
      .object({
        port: z.number().int().min(1).max(65535).optional(),
        health_path: z.string().regex(/^\//, { message: "expected a path starting with '/'" }).optional(),
        replicas: replicaCount.min(1, { message: 'expected at least 1 web replica' }).optional(),
        cpu: z.number().positive().max(64).optional(),
        memory: memory.optional(),
        runtime: z.enum(RUNTIME_NAMES).optional(),
        // A string runs through the image's /bin/sh -c; an array is the argument vector (commands.ts).
        command: commandInput.optional(),
        release: commandInput.optional(),
        post_deploy: commandInput.optional(),
      })
      .strict()
      .optional(),
    // The repository the server builds from on push (`rise p u --git`); credentials never go here.
    source: z
      .object({
        repository: repositoryUrl,
        branch: branchName.optional(),
        root_directory: rootDirectory.optional(),
        dockerfile: dockerfilePath.optional(),
        watch_paths: watchPaths.optional(),
        submodules: z.boolean().optional(),
        provider: gitProvider.optional(),
        preview_expiry: previewExpiry.optional(),
      })
      .strict()
      .optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
    // `[[cron]]`: commands run on a schedule in one-off containers of the running version.
    cron: cronJobsInput.optional(),
    // `[processes]`: `web` (the start command) and the processes besides it (a worker, a queue consumer).
    processes: processesTable.optional(),
  })
  .strict()
  .superRefine((config, context) => {
    const table = config.processes?.[WEB];
    if (table === undefined || !config.deploy) return;
    const pairs = [
      ['command', 'command', table.command, config.deploy.command],
      ['replicas', 'replicas', table.replicas, config.deploy.replicas],
      ['cpu', 'cpu', table.cpu, config.deploy.cpu],
      ['memory', 'memory', memoryMb(table.memory), memoryMb(config.deploy.memory)],
    ] as const;
    for (const [field, deployField, fromWeb, fromDeploy] of pairs) {
      if (fromWeb === undefined || fromDeploy === undefined) continue;
      if (JSON.stringify(normalize(fromWeb)) === JSON.stringify(normalize(fromDeploy))) continue;
      context.addIssue({
        code: 'custom',
        path: ['processes', WEB],
        message: `web's ${field} differs from [deploy] ${deployField}: set it in one place`,
      });
    }
  });

/** A command as it runs (`"x"` and `["/bin/sh", "-c", "x"]` are the same), other values as they are. */
const normalize = (value: unknown) => (typeof value === 'string' ? commandArgv(value) : value);

export type RiseToml = z.infer<typeof riseTomlSchema>;

export class RiseTomlError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
    this.name = 'RiseTomlError';
  }
}

/** The line (1-based) of `path` in TOML text: the key inside its `[table]`, or the table header. */
export function lineOf(text: string, path: (string | number)[]): number | null {
  const lines = text.split('\n');
  // `[processes.worker]` then `replicas = 2`: the key in the dotted table.
  if (path.length >= 3 && typeof path[1] === 'string') {
    const dotted = `${path[0]}.${path[1]}`;
    const inDotted = lineOf(text, [dotted, String(path[2])]);
    if (inDotted !== null) return inDotted;
  }
  const [first, second] = path.map(String);
  let table = '';
  let tableLine: number | null = null;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      table = header[1]!.trim();
      if (second !== undefined && table === first) tableLine = index + 1;
      if (second === undefined && table === first) return index + 1;
      continue;
    }
    const key = /^("?)([A-Za-z0-9_.-]+)\1\s*=/.exec(line)?.[2];
    if (second === undefined ? table === '' && key === first : table === first && key === second)
      return index + 1;
  }
  return tableLine;
}

/** Parses and validates `.rise.toml` text; errors name the field and the line. */
export function parseRiseToml(text: string, file = RISE_TOML): RiseToml {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      throw new RiseTomlError(`${file}:${error.line}: ${error.message.split('\n')[0]}`, error.line);
    }
    throw error;
  }
  const result = riseTomlSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const line = lineOf(text, path as (string | number)[]);
  const field = path.join('.') || '(file)';
  const what =
    issue.code === 'unrecognized_keys'
      ? 'unknown field'
      : issue.code === 'invalid_key'
        ? (issue.issues[0]?.message ?? issue.message)
        : issue.message;
  throw new RiseTomlError(`${file}${line ? `:${line}` : ''}: ${field}: ${what}`, line);
}

/** The base images `.rise.toml` sets (its [build] `*_image`, `static_root`, `static_command`). */
export function baseImagesFromToml(build: RiseToml['build']): Partial<BaseImages> {
  const images: Partial<BaseImages> = {};
  for (const [key, setting] of Object.entries(BASE_IMAGE_SETTINGS) as [
    BaseImageKey,
    (typeof BASE_IMAGE_SETTINGS)[BaseImageKey],
  ][]) {
    const value = build?.[setting.toml];
    if (value !== undefined) Object.assign(images, { [key]: value });
  }
  return images;
}
