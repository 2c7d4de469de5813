import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { TEST_SUBNET_POOL } from '../../../../test/docker-networks';
import { buildCrashingImage, buildTestAppImage, TEST_APP_PORT } from '../../../../test/images';
import { freePort } from '../../platform/free-port';
import { runtimeContract } from '../runtime-contract';
import { DockerRuntime } from './docker-runtime';

// The Runtime contract against the real dockerd. Everything created carries rise.test=<run id> and
// is removed afterwards; network names are unique per run.

const APP = 'rise-test-app:v1';
const CRASHING = 'rise-test-crashing:1';
// Nothing listens on port 1: the pull fails at once.
const MISSING = '127.0.0.1:1/rise-missing-image:1';

runtimeContract('docker', async () => {
  const runId = randomBytes(4).toString('hex');
  const docker = new Dockerode();
  const extraLabels = { 'rise.test': runId };
  const network = `rise-test-${runId}`;
  const options = {
    docker,
    network,
    upstreamMode: 'host' as const,
    extraLabels,
    subnetPool: TEST_SUBNET_POOL,
  };
  await Promise.all([
    buildTestAppImage({ tag: APP, version: 'v1', docker }),
    buildCrashingImage(CRASHING, docker),
  ]);
  const images = { healthy: APP, crashing: CRASHING, 'missing-image': MISSING };
  return {
    runtime: new DockerRuntime({ ...options, instance: `test-${runId}` }),
    otherInstance: new DockerRuntime({ ...options, instance: `other-${runId}` }),
    async spec(app, instance) {
      return {
        ...instance,
        image: images[app],
        port: TEST_APP_PORT,
        env: { GREETING: 'hello' },
        cpuLimit: null,
        memoryLimitMb: null,
        hostPort: await freePort(),
        healthPath: '/health',
      };
    },
    // busybox httpd logs every request line (url:/<text>) to stderr.
    async emitLogLine(spec, text) {
      const response = await fetch(`http://127.0.0.1:${spec.hostPort}/${text}`);
      await response.body?.cancel();
    },
    healthCheck: { path: '/health', timeoutMs: 1_000, intervalMs: 200, attempts: 50 },
    replicaHostPorts: async (count) => Promise.all(Array.from({ length: count }, () => freePort())),
    failures: {
      crashing: /(exited|crashed) before becoming healthy \(exit code 1/,
      missingImage:
        /image 127\.0\.0\.1:1\/rise-missing-image:1 is not present locally and could not be pulled/,
    },
    async cleanup() {
      const label = [`rise.test=${runId}`];
      const containers = await docker.listContainers({ all: true, filters: { label } });
      await Promise.all(
        containers.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => {}),
        ),
      );
      for (const n of await docker.listNetworks({ filters: { label } }))
        await docker.getNetwork(n.Id).remove();
    },
  };
});
