import type Dockerode from 'dockerode';
import { ignoreStatus } from './docker-errors';

/** Creates the bridge network `name` unless it exists; apps and managed databases share it. */
export async function ensureNetwork(docker: Dockerode, name: string, labels: Record<string, string>) {
  const existing = await ignoreStatus([404], () => docker.getNetwork(name).inspect());
  if (existing) return;
  // CheckDuplicate makes a concurrent second create fail with 409 instead of adding a twin network.
  await ignoreStatus([409], () =>
    docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels }),
  );
}
