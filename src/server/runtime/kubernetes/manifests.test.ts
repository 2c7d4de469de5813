import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Namespace, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import type { InstanceSpec, OneOffSpec } from '../types';
import {
  containerSecurityContext,
  type DeploymentOptions,
  deploymentManifest,
  envSecretManifest,
  namespaceManifest,
  oneOffEnvSecretManifest,
  oneOffJobManifest,
  probes,
  pullSecretManifest,
  resourceRequirements,
  serviceManifest,
  serviceSpec,
} from './manifests';
import { pullSecretName } from './names';

const IMAGE = `registry.example.com/shop@sha256:${'a'.repeat(64)}`;

const spec = (overrides: Partial<InstanceSpec> = {}): InstanceSpec => ({
  project: 'shop',
  deploymentId: '20261122-0132-k3f9',
  slot: 'b',
  image: IMAGE,
  port: 8080,
  env: { DATABASE_URL: 'postgres://u:p@db/shop', GREETING: 'héllo wörld' },
  cpuLimit: 0.5,
  memoryLimitMb: 256,
  hostPort: null,
  healthPath: '/healthz',
  ...overrides,
});

const options = (overrides: Partial<DeploymentOptions> = {}): DeploymentOptions => ({
  instance: 'prod',
  namespace: 'rise-shop',
  runAsNonRoot: false,
  pullSecret: true,
  terminationGraceSeconds: 10,
  startedAt: new Date('2026-11-22T01:32:00.000Z'),
  ...overrides,
});

const LABELS = {
  'app.kubernetes.io/managed-by': 'rise',
  'rise.dev/instance': 'prod',
  'rise.dev/project': 'shop',
  'rise.dev/deployment': '20261122-0132-k3f9',
  'rise.dev/process': 'web',
  'rise.dev/slot': 'b',
};

describe('deploymentManifest', () => {
  it('validates against the Kubernetes schema', () => {
    expect(() => new Deployment(deploymentManifest(spec(), options()) as never).validate()).not.toThrow();
    const minimal = spec({ cpuLimit: null, memoryLimitMb: null, healthPath: undefined, env: {}, port: 80 });
    const variant = options({ runAsNonRoot: true, pullSecret: false, extraLabels: { 'rise.test': 'x' } });
    expect(() => new Deployment(deploymentManifest(minimal, variant) as never).validate()).not.toThrow();
  });

  it('names it <project>-<deploymentId>, labels it and selects its pods by installation, project, deployment and process', () => {
    const manifest = deploymentManifest(spec(), options({ extraLabels: { 'rise.test': 'run1' } }));
    expect(manifest.metadata).toEqual({
      name: 'shop-20261122-0132-k3f9',
      namespace: 'rise-shop',
      labels: { ...LABELS, 'rise.test': 'run1' },
    });
    expect(manifest.spec?.selector).toEqual({
      matchLabels: {
        'app.kubernetes.io/managed-by': 'rise',
        'rise.dev/instance': 'prod',
        'rise.dev/project': 'shop',
        'rise.dev/deployment': '20261122-0132-k3f9',
        'rise.dev/process': 'web',
      },
    });
    expect(manifest.spec?.template.metadata?.labels).toEqual({ ...LABELS, 'rise.test': 'run1' });
    expect(manifest.spec?.template.metadata?.annotations).toEqual({
      'rise.dev/started-at': '2026-11-22T01:32:00.000Z',
    });
    expect(manifest.spec?.replicas).toBe(1);
  });

  it("labels a group's Deployment, pods and env Secret with the group, keeping the selector as it is", () => {
    const grouped = spec({ group: 'mr--26' });
    const manifest = deploymentManifest(grouped, options());
    expect(() => new Deployment(manifest as never).validate()).not.toThrow();
    const labels = { ...LABELS, 'rise.dev/group': 'mr--26' };
    expect(manifest.metadata?.labels).toEqual(labels);
    expect(manifest.spec?.template.metadata?.labels).toEqual(labels);
    expect(manifest.spec?.selector).toEqual(deploymentManifest(spec(), options()).spec?.selector);
    expect(envSecretManifest(grouped, options()).metadata?.labels).toEqual(labels);
    // `default` is the default group: no label, as before groups.
    expect(deploymentManifest(spec({ group: 'default' }), options()).metadata?.labels).toEqual(LABELS);
  });

  it('runs the image exactly as given (pinned by digest), env from the Secret, the port named http', () => {
    const container = deploymentManifest(spec(), options()).spec?.template.spec?.containers[0];
    expect(container?.name).toBe('app');
    expect(container?.image).toBe(IMAGE);
    expect(container?.imagePullPolicy).toBe('IfNotPresent');
    expect(container?.envFrom).toEqual([{ secretRef: { name: 'shop-20261122-0132-k3f9-env' } }]);
    expect(container?.env).toBeUndefined();
    expect(container?.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('runs spec.replicas pods; a non-web process gets its own name, selector and Secret, no port and no probes', () => {
    expect(deploymentManifest(spec({ replicas: 3 }), options()).spec?.replicas).toBe(3);
    expect(deploymentManifest(spec({ replicas: 0 }), options()).spec?.replicas).toBe(0);
    const worker = spec({ process: 'worker', replicas: 2, command: ['node', 'worker.js'] });
    const manifest = deploymentManifest(worker, options());
    expect(() => new Deployment(manifest as never).validate()).not.toThrow();
    expect(manifest.metadata?.name).toBe('shop-20261122-0132-k3f9--worker');
    expect(manifest.spec?.replicas).toBe(2);
    const labels = { ...LABELS, 'rise.dev/process': 'worker' };
    expect(manifest.metadata?.labels).toEqual(labels);
    expect(manifest.spec?.template.metadata?.labels).toEqual(labels);
    expect(manifest.spec?.selector?.matchLabels?.['rise.dev/process']).toBe('worker');
    const container = manifest.spec?.template.spec?.containers[0];
    expect(container?.command).toEqual(['node', 'worker.js']);
    expect(container?.envFrom).toEqual([{ secretRef: { name: 'shop-20261122-0132-k3f9--worker-env' } }]);
    expect(container?.ports).toBeUndefined();
    expect(container?.startupProbe).toBeUndefined();
    expect(container?.readinessProbe).toBeUndefined();
    expect(container?.livenessProbe).toBeUndefined();
    const secret = envSecretManifest(worker, options());
    expect(secret.metadata?.name).toBe('shop-20261122-0132-k3f9--worker-env');
    expect(secret.metadata?.labels).toEqual(labels);
  });

  it("runs the start command instead of the image's ENTRYPOINT and CMD: command, no args", () => {
    const command = ['/bin/sh', '-c', 'node server.js'];
    const container = deploymentManifest(spec({ command }), options()).spec?.template.spec?.containers[0];
    expect(container?.command).toEqual(command);
    expect(container?.args).toBeUndefined();
    const plain = deploymentManifest(spec(), options()).spec?.template.spec?.containers[0];
    expect(plain?.command).toBeUndefined();
    expect(() =>
      new Deployment(deploymentManifest(spec({ command }), options()) as never).validate(),
    ).not.toThrow();
  });

  it('references the pull secret only when asked', () => {
    expect(deploymentManifest(spec(), options()).spec?.template.spec?.imagePullSecrets).toEqual([
      { name: 'rise-registry-pull' },
    ]);
    expect(
      deploymentManifest(spec(), options({ pullSecret: false })).spec?.template.spec?.imagePullSecrets,
    ).toBeUndefined();
  });

  it('locks the pod down: no API token, no service links, seccomp RuntimeDefault, the grace period', () => {
    const pod = deploymentManifest(spec(), options({ terminationGraceSeconds: 25 })).spec?.template.spec;
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.enableServiceLinks).toBe(false);
    expect(pod?.terminationGracePeriodSeconds).toBe(25);
    expect(pod?.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    const nonRoot = deploymentManifest(spec(), options({ runAsNonRoot: true })).spec?.template.spec;
    expect(nonRoot?.securityContext).toEqual({
      seccompProfile: { type: 'RuntimeDefault' },
      runAsNonRoot: true,
    });
    expect(nonRoot?.containers[0]?.securityContext?.runAsNonRoot).toBe(true);
  });
});

describe('containerSecurityContext', () => {
  it('always forbids privilege escalation, drops every capability and uses the default seccomp profile', () => {
    expect(containerSecurityContext({ runAsNonRoot: false, port: 8080 })).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('requires a non-root user only when configured', () => {
    expect(containerSecurityContext({ runAsNonRoot: true, port: 8080 })).toMatchObject({
      runAsNonRoot: true,
    });
    expect(containerSecurityContext({ runAsNonRoot: false, port: 8080 })).not.toHaveProperty('runAsNonRoot');
  });

  it('keeps NET_BIND_SERVICE for apps listening below port 1024', () => {
    expect(containerSecurityContext({ runAsNonRoot: false, port: 80 }).capabilities).toEqual({
      drop: ['ALL'],
      add: ['NET_BIND_SERVICE'],
    });
    expect(containerSecurityContext({ runAsNonRoot: false, port: 1024 }).capabilities).toEqual({
      drop: ['ALL'],
    });
  });
});

describe('probes', () => {
  it('GETs the health path on the http port: startup, then readiness and liveness', () => {
    const result = probes('/healthz');
    const httpGet = { path: '/healthz', port: 'http', scheme: 'HTTP' };
    expect(result.readinessProbe).toMatchObject({ httpGet, periodSeconds: 5, failureThreshold: 3 });
    expect(result.livenessProbe).toMatchObject({ httpGet, periodSeconds: 10, failureThreshold: 3 });
    expect(result.startupProbe).toMatchObject({ httpGet, periodSeconds: 2, failureThreshold: 150 });
    expect(result.livenessProbe.successThreshold).toBeUndefined();
  });

  it('defaults to / and adds a missing leading slash', () => {
    expect(probes(undefined).readinessProbe.httpGet?.path).toBe('/');
    expect(probes('ready').readinessProbe.httpGet?.path).toBe('/ready');
  });

  it('ends up in the container', () => {
    const container = deploymentManifest(spec(), options()).spec?.template.spec?.containers[0];
    expect(container?.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(container?.startupProbe?.httpGet?.path).toBe('/healthz');
  });
});

describe('resourceRequirements', () => {
  it('turns cores and MiB into quantities, requests equal to limits', () => {
    expect(resourceRequirements({ cpuLimit: 0.5, memoryLimitMb: 256 })).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(resourceRequirements({ cpuLimit: 2, memoryLimitMb: null })).toEqual({
      requests: { cpu: '2000m' },
      limits: { cpu: '2000m' },
    });
    expect(resourceRequirements({ cpuLimit: 0.0001, memoryLimitMb: 16 })).toEqual({
      requests: { cpu: '1m', memory: '16Mi' },
      limits: { cpu: '1m', memory: '16Mi' },
    });
  });

  it('sets nothing without limits', () => {
    expect(resourceRequirements({ cpuLimit: null, memoryLimitMb: null })).toEqual({});
  });
});

describe('envSecretManifest', () => {
  it('holds the env base64-encoded (UTF-8), labelled like the deployment', () => {
    const secret = envSecretManifest(spec(), { instance: 'prod', namespace: 'rise-shop' });
    expect(() => new Secret(secret as never).validate()).not.toThrow();
    expect(secret.metadata).toEqual({
      name: 'shop-20261122-0132-k3f9-env',
      namespace: 'rise-shop',
      labels: LABELS,
    });
    expect(secret.type).toBe('Opaque');
    const decoded = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    expect(decoded).toEqual({ ...spec().env, PORT: '8080' });
  });

  it('tells the app its port as PORT, the container port the probes and the Service use', () => {
    const decode = (s: InstanceSpec) =>
      Object.fromEntries(
        Object.entries(envSecretManifest(s, { instance: 'prod', namespace: 'n' }).data ?? {}).map(
          ([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')],
        ),
      );
    expect(decode(spec({ env: {}, port: 3001 }))).toEqual({ PORT: '3001' });
    // A PORT among the project's vars cannot move the app off the port Rise routes to.
    expect(decode(spec({ env: { PORT: '9999', A: 'b' }, port: 3002 }))).toEqual({ PORT: '3002', A: 'b' });

    const container = deploymentManifest(spec({ port: 3001 }), options()).spec?.template.spec?.containers[0];
    expect(container?.envFrom).toEqual([{ secretRef: { name: 'shop-20261122-0132-k3f9-env' } }]);
    expect(container?.ports).toEqual([{ name: 'http', containerPort: 3001, protocol: 'TCP' }]);
    expect(container?.readinessProbe?.httpGet?.port).toBe('http');
    expect(
      serviceSpec({ project: 'shop', deploymentId: 'd', port: 3001 }, 'prod').ports?.[0]?.targetPort,
    ).toBe(3001);
  });
});

describe('pullSecretManifest', () => {
  const credentials = { username: 'rise-worker', password: 's3cr:t', serveraddress: 'registry.example.com' };

  it('is a dockerconfigjson Secret with the registry credentials', () => {
    const secret = pullSecretManifest(credentials, {
      instance: 'prod',
      namespace: 'rise-shop',
      project: 'shop',
    });
    expect(() => new Secret(secret as never).validate()).not.toThrow();
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secret.metadata?.name).toBe('rise-registry-pull');
    expect(secret.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
    });
    const config = JSON.parse(
      Buffer.from(secret.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8'),
    );
    expect(config).toEqual({
      auths: {
        'registry.example.com': {
          username: 'rise-worker',
          password: 's3cr:t',
          auth: Buffer.from('rise-worker:s3cr:t').toString('base64'),
        },
      },
    });
  });

  it('takes the name it is given, as a shared namespace needs one per project', () => {
    const secret = pullSecretManifest(credentials, {
      instance: 'prod',
      namespace: 'rise-apps',
      project: 'shop',
      name: pullSecretName('shop', true),
    });
    expect(secret.metadata?.name).toBe('shop-registry-pull');
    expect(secret.metadata?.labels?.['rise.dev/project']).toBe('shop');
    expect(pullSecretName('shop', false)).toBe('rise-registry-pull');
    expect(
      deploymentManifest(spec(), options({ pullSecretName: 'shop-registry-pull' })).spec?.template.spec
        ?.imagePullSecrets,
    ).toEqual([{ name: 'shop-registry-pull' }]);
  });

  it('carries no project label when it has no project', () => {
    const secret = pullSecretManifest(credentials, { instance: 'prod', namespace: 'rise-apps' });
    expect(secret.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
    });
  });
});

describe('serviceManifest and namespaceManifest', () => {
  it("names the Service after the project and selects one deployment's web pods, port 80 to the app port", () => {
    const service = serviceManifest(
      { project: 'shop', deploymentId: '20261122-0132-k3f9', port: 3000 },
      { instance: 'prod', namespace: 'rise-shop' },
    );
    expect(() => new Service(service as never).validate()).not.toThrow();
    expect(service.metadata?.name).toBe('shop');
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: {
        'app.kubernetes.io/managed-by': 'rise',
        'rise.dev/instance': 'prod',
        'rise.dev/project': 'shop',
        'rise.dev/deployment': '20261122-0132-k3f9',
        'rise.dev/process': 'web',
      },
      ports: [{ name: 'http', port: 80, targetPort: 3000, protocol: 'TCP' }],
    });
  });

  it("selects with the web Deployment's own selector when given (one written before processes)", () => {
    const legacy = {
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/deployment': '20261122-0132-k3f9',
    };
    const target = { project: 'shop', deploymentId: '20261122-0132-k3f9', port: 3000 };
    expect(
      serviceManifest(target, { instance: 'prod', namespace: 'rise-shop' }, legacy).spec?.selector,
    ).toEqual(legacy);
  });

  it("gives a group's Service its own name and the group label, selecting one of the group's deployments", () => {
    const target = { project: 'shop', group: 'mr--26', deploymentId: '20261122-0132-k3f9', port: 3000 };
    const service = serviceManifest(target, { instance: 'prod', namespace: 'rise-shop' });
    expect(() => new Service(service as never).validate()).not.toThrow();
    expect(service.metadata?.name).toMatch(/^shop-mr--26-[0-9a-f]{8}$/);
    expect(service.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/group': 'mr--26',
    });
    expect(service.spec).toEqual(serviceSpec(target, 'prod'));
  });

  it('labels a project namespace with installation and project', () => {
    const namespace = namespaceManifest('rise-shop', { instance: 'prod', project: 'shop' });
    expect(() => new Namespace(namespace as never).validate()).not.toThrow();
    expect(namespace.metadata).toEqual({
      name: 'rise-shop',
      labels: {
        'app.kubernetes.io/managed-by': 'rise',
        'rise.dev/instance': 'prod',
        'rise.dev/project': 'shop',
      },
    });
  });
});

describe('oneOffJobManifest', () => {
  const oneOff: OneOffSpec = {
    kind: 'release',
    id: '20261122-0132-k3f9-release',
    project: 'shop',
    deploymentId: '20261122-0132-k3f9',
    image: IMAGE,
    port: 8080,
    env: { DATABASE_URL: 'postgres://u:p@db/shop' },
    cpuLimit: 0.5,
    memoryLimitMb: 256,
    command: ['/bin/sh', '-c', 'npm run migrate'],
  };
  const context = { instance: 'prod', namespace: 'rise-shop' };
  const job = oneOffJobManifest(oneOff, {
    ...context,
    runAsNonRoot: false,
    pullSecret: true,
    timeoutSeconds: 600,
  });

  it('validates, runs once (no retry, no restart) and is stopped by Kubernetes at the timeout', () => {
    expect(() => new Job(job as never).validate()).not.toThrow();
    expect(job.metadata?.name).toBe('shop-20261122-0132-k3f9-release');
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600 });
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
    expect(job.spec?.template.spec?.automountServiceAccountToken).toBe(false);
  });

  it('runs the command in the image with the env from its own Secret and the app limits', () => {
    const container = job.spec?.template.spec?.containers[0];
    expect(container).toMatchObject({
      image: IMAGE,
      command: ['/bin/sh', '-c', 'npm run migrate'],
      envFrom: [{ secretRef: { name: 'shop-20261122-0132-k3f9-release-env' } }],
    });
    expect(container?.args).toBeUndefined();
    expect(container?.ports).toBeUndefined();
    expect(container?.resources?.limits).toMatchObject({ memory: '256Mi' });
    const secret = oneOffEnvSecretManifest(oneOff, context);
    expect(() => new Secret(secret as never).validate()).not.toThrow();
    expect(Buffer.from(secret.data?.DATABASE_URL ?? '', 'base64').toString()).toBe('postgres://u:p@db/shop');
  });

  it('carries no deployment label, so its pod is never taken for the deployment’s own', () => {
    expect(job.spec?.template.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/one-off': '20261122-0132-k3f9-release',
      'rise.dev/one-off-kind': 'release',
    });
  });
});
