import { FakeRuntime, type FakeRuntimeOptions } from './fake';
import { runtimeContract } from './runtime-contract';

// The Runtime contract the real adapters pass (docker-runtime.contract.int.test.ts,
// kubernetes-runtime.contract.int.test.ts), run against the fake the engine's unit tests use.

const images = {
  healthy: 'contract/app:v1',
  crashing: 'contract/crashing:1',
  'missing-image': 'contract/missing:1',
};
const options: FakeRuntimeOptions = {
  apps: {
    [images.healthy]: { output: ['listening on :8080'] },
    [images.crashing]: { output: ['crashing on purpose'], exitsWith: 1 },
  },
  missingImages: [images['missing-image']],
};

runtimeContract('fake', async () => {
  const runtime = new FakeRuntime(options);
  return {
    runtime,
    otherInstance: new FakeRuntime(options),
    async spec(app, instance) {
      return {
        ...instance,
        image: images[app],
        port: 8080,
        env: {},
        cpuLimit: null,
        memoryLimitMb: null,
        hostPort: null,
        healthPath: '/health',
      };
    },
    async emitLogLine(spec, text) {
      runtime.appendLog(spec.project, spec.deploymentId, `GET /${text}`);
    },
    healthCheck: { path: '/health', timeoutMs: 100, intervalMs: 10, attempts: 5 },
    failures: {
      crashing: /exited before becoming healthy \(exit code 1/,
      missingImage: /image contract\/missing:1 is not present locally and could not be pulled/,
    },
    async cleanup() {},
  };
});
