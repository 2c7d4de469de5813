import { z } from 'zod';
import { execCommand, terminalSize } from '@/server/domains/exec/exec.schema';
import { projectName } from '@/server/domains/projects/project.schema';
import { type InstanceRef, type InstanceStatus, WEB_PROCESS } from '@/server/runtime/types';
import { MAX_REPLICAS, processName } from '@/shared/processes/process.schema';

const instance = {
  runtime: z.string().regex(/^[a-z0-9-]{1,32}$/),
  project: projectName,
  deployment: z.string().regex(/^[a-z0-9-]{1,64}$/),
};

/** Which instance of the deployment (`process`, `replica`); absent: web's replica 0. */
const instanceRef = {
  process: processName.optional(),
  replica: z.coerce.number().int().min(0).max(MAX_REPLICAS).optional(),
};

const withInstanceRef = <T extends { process?: string; replica?: number }>({
  process,
  replica,
  ...rest
}: T) => {
  const ref: InstanceRef | undefined =
    process === undefined && replica === undefined
      ? undefined
      : { process: process ?? WEB_PROCESS, replica: replica ?? 0 };
  return { ...rest, instance: ref };
};

export const gatewayLogsRequest = z
  .object({
    ...instance,
    ...instanceRef,
    follow: z.boolean(),
    tail: z.coerce.number().int().min(0).max(10_000),
  })
  .transform(withInstanceRef);

export const gatewayExecRequest = z
  .object({
    ...instance,
    ...instanceRef,
    cmd: execCommand,
    tty: z.boolean(),
    cols: terminalSize.optional(),
    rows: terminalSize.optional(),
  })
  .transform(withInstanceRef);

/** `runtime.list` through the gateway: one project's instances, or every one Rise manages. */
export const gatewayListRequest = z.object({
  runtime: instance.runtime,
  project: projectName.optional(),
});

export const gatewayOneOffRequest = z.object({
  runtime: instance.runtime,
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600_000),
  spec: z.object({
    kind: z.enum(['release', 'post-deploy', 'run', 'cron']),
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    project: projectName,
    group: z.string().max(64).optional(),
    deploymentId: instance.deployment,
    image: z.string().min(1).max(512),
    port: z.number().int().min(1).max(65535),
    env: z.record(z.string(), z.string()),
    cpuLimit: z.number().nullable(),
    memoryLimitMb: z.number().nullable(),
    command: execCommand,
  }),
});

/** The query string both sides of the gateway write and read (`cmd` once per argument). */
export function gatewayQuery(
  values: Record<string, string | number | boolean | string[] | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) query.append(key, item);
    else query.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return query.toString();
}

export function readGatewayQuery(url: URL) {
  const get = (key: string) => url.searchParams.get(key) ?? undefined;
  return {
    runtime: get('runtime'),
    project: get('project'),
    deployment: get('deployment'),
    process: get('process'),
    replica: get('replica'),
    follow: get('follow') === '1',
    tail: get('tail'),
    cmd: url.searchParams.getAll('cmd'),
    tty: get('tty') === '1',
    cols: get('cols'),
    rows: get('rows'),
  };
}

const isoDate = z.iso
  .datetime()
  .nullable()
  .transform((value) => (value === null ? null : new Date(value)));

/** What the gateway answers to a list: InstanceStatus[] with its dates as ISO strings. */
export const gatewayInstanceList = z.array(
  z.object({
    project: z.string(),
    group: z.string().optional(),
    deploymentId: z.string(),
    slot: z.enum(['a', 'b']),
    process: z.string().optional(),
    replica: z.number().int().optional(),
    state: z.enum(['created', 'running', 'restarting', 'exited', 'dead', 'missing']),
    exitCode: z.number().int().nullable(),
    startedAt: isoDate,
    finishedAt: isoDate,
    runtimeRestarts: z
      .object({ count: z.number(), lastExitCode: z.number().nullable(), lastCrashAt: isoDate })
      .optional(),
  }),
) satisfies z.ZodType<InstanceStatus[], unknown>;
