import type { V1Pod } from '@kubernetes/client-node';

/**
 * Replica numbers of one process's pods. Kubernetes gives a Deployment's pods no stable index (a
 * StatefulSet would, at the price of ordered rollouts), so Rise numbers them: the live pods (not being
 * deleted) ordered by name, 0…N-1. The same pods always get the same numbers, so a replica `list()`
 * reported is the pod `restart`, `stats`, `logs` and `exec` act on; when a pod is replaced the numbers
 * may move (a new pod's name is random), as they do on Docker after a scale.
 */
export function numberedPods(pods: V1Pod[]): V1Pod[] {
  return pods
    .filter((pod) => !pod.metadata?.deletionTimestamp)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}
