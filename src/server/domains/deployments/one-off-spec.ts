import type { InstanceSpec, OneOffKind, OneOffSpec } from '@/server/runtime/types';

/** The one-off of `kind` that runs `command` from an instance's spec: its image, env, network and limits. */
export function oneOffOf(
  spec: Pick<
    InstanceSpec,
    'project' | 'group' | 'deploymentId' | 'image' | 'port' | 'env' | 'cpuLimit' | 'memoryLimitMb'
  >,
  kind: OneOffKind,
  id: string,
  command: string[],
): OneOffSpec {
  return {
    kind,
    id,
    project: spec.project,
    ...(spec.group ? { group: spec.group } : {}),
    deploymentId: spec.deploymentId,
    image: spec.image,
    port: spec.port,
    env: spec.env,
    cpuLimit: spec.cpuLimit,
    memoryLimitMb: spec.memoryLimitMb,
    command,
  };
}
