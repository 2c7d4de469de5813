import { z } from 'zod';
import { execCommand, terminalSize } from '@/server/domains/exec/exec.schema';
import { projectName } from '@/server/domains/projects/project.schema';

const instance = {
  runtime: z.string().regex(/^[a-z0-9-]{1,32}$/),
  project: projectName,
  deployment: z.string().regex(/^[a-z0-9-]{1,64}$/),
};

export const gatewayLogsRequest = z.object({
  ...instance,
  follow: z.boolean(),
  tail: z.coerce.number().int().min(0).max(10_000),
});

export const gatewayExecRequest = z.object({
  ...instance,
  cmd: execCommand,
  tty: z.boolean(),
  cols: terminalSize.optional(),
  rows: terminalSize.optional(),
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
    follow: get('follow') === '1',
    tail: get('tail'),
    cmd: url.searchParams.getAll('cmd'),
    tty: get('tty') === '1',
    cols: get('cols'),
    rows: get('rows'),
  };
}
