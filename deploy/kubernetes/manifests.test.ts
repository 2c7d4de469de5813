// Static checks of the Kubernetes manifests in this directory. Nothing here talks to a cluster: every
// document is validated against the Kubernetes OpenAPI schema (kubernetes-models) and the checks below
// pin the security settings, the RBAC contract of the runtime, and the env vars against src/env.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { loadAll, YAML11_SCHEMA } from 'js-yaml';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import {
  ClusterRole,
  ClusterRoleBinding,
  type IClusterRole,
  type IClusterRoleBinding,
  type IPolicyRule,
  type IRoleBinding,
  Role,
  RoleBinding,
} from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  type IConfigMap,
  type IContainer,
  type IPodSpec,
  type ISecret,
  Namespace,
  PersistentVolumeClaim,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { envSchema, parseEnv } from '@/env';

const dir = path.dirname(fileURLToPath(import.meta.url));

/** YAML files that are not applied by `kubectl apply -k` (kustomization.yaml says why). */
const NOT_IN_KUSTOMIZATION = ['kustomization.yaml', 'secret.example.yaml', 'rbac-namespaced.yaml'];

const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * The contract: exactly what Rise's Kubernetes runtime may do, as `apiGroup resource verbs`. The first
 * rule only exists in the ClusterRole (namespace per project); the Role of the shared-namespace mode
 * holds the rest. Change rbac.yaml, rbac-namespaced.yaml and this list together.
 */
const CLUSTER_SCOPED_RULES: [string, string, string[]][] = [
  ['', 'namespaces', ['get', 'list', 'create', 'delete']],
];
const NAMESPACED_RULES: [string, string, string[]][] = [
  ['apps', 'deployments', ALL_VERBS],
  ['', 'secrets', ALL_VERBS],
  ['', 'services', ALL_VERBS],
  // Pods come from the Deployments' controller: Rise reads them, and deletes them to stop an instance.
  ['', 'pods', ['get', 'list', 'watch', 'delete']],
  ['', 'pods/log', ['get']],
  ['networking.k8s.io', 'ingresses', ALL_VERBS],
];

type Model = { validate(): void };
type ModelClass = new (data: never) => Model;

/** Every kind these manifests may contain; anything else fails the test instead of being skipped. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
type Document = { file: string; index: number; object: KubeObject };

const yamlFiles = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
  .sort();

// kubectl reads YAML 1.1 (yes/no/on are booleans, 0644 is octal): parse the same way.
const parse = (file: string) =>
  loadAll(readFileSync(path.join(dir, file), 'utf8'), { schema: YAML11_SCHEMA }).filter(
    (document) => document !== null && document !== undefined,
  );

const documents: Document[] = yamlFiles
  .filter((file) => file !== 'kustomization.yaml')
  .flatMap((file) => parse(file).map((object, index) => ({ file, index, object: object as KubeObject })));

const where = ({ file, index, object }: Document) =>
  `${file}#${index} ${object?.kind}/${object?.metadata?.name}`;
const ofKind = <T>(kind: string) =>
  documents.filter((document) => document.object.kind === kind) as (Document & { object: T })[];
const find = <T>(kind: string, name: string, file?: string) => {
  const found = documents.find(
    (document) =>
      document.object.kind === kind &&
      document.object.metadata.name === name &&
      (!file || document.file === file),
  );
  if (!found) throw new Error(`no ${kind} ${name}${file ? ` in ${file}` : ''}`);
  return found.object as unknown as T;
};

/**
 * Fields the schema does not know (kubernetes-models accepts them silently; the API server drops or
 * refuses them). Walks the object along @kubernetes/client-node's generated model attribute maps.
 */
function unknownFields(value: unknown, type: string, at: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return [`${at}: expected a list`];
    return value.flatMap((item, i) => unknownFields(item, array[1]!, `${at}[${i}]`));
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
      unknownFields(item, map[1]!, `${at}.${key}`),
    );
  }
  if (['string', 'number', 'boolean', 'Date', 'IntOrString', 'any', 'object'].includes(type)) return [];
  const model = (k8s as unknown as Record<string, unknown>)[type] as
    | { getAttributeTypeMap(): { baseName: string; type: string }[] }
    | undefined;
  if (!model?.getAttributeTypeMap) return [`${at}: no model for type ${type}`];
  if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object (${type})`];
  const attributes = model.getAttributeTypeMap();
  return Object.entries(value).flatMap(([key, item]) => {
    const attribute = attributes.find((candidate) => candidate.baseName === key);
    return attribute ? unknownFields(item, attribute.type, `${at}.${key}`) : [`${at}.${key}: unknown field`];
  });
}

const modelName = ({ apiVersion, kind }: KubeObject) => {
  const version = apiVersion.split('/').pop()!;
  return `${version[0]!.toUpperCase()}${version.slice(1)}${kind}`;
};

const deployments = () => ofKind<IDeployment>('Deployment');
const podSpec = (deployment: IDeployment): IPodSpec => deployment.spec!.template.spec!;
const allContainers = (spec: IPodSpec): IContainer[] => [...(spec.initContainers ?? []), ...spec.containers];

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('finds the manifests', () => {
    expect(yamlFiles).toEqual(
      expect.arrayContaining(['kustomization.yaml', 'rbac.yaml', 'web.yaml', 'worker.yaml', 'registry.yaml']),
    );
    expect(deployments().map((document) => document.object.metadata?.name)).toEqual(
      expect.arrayContaining(['rise-web', 'rise-worker', 'rise-registry']),
    );
  });

  it('holds only known kinds, each valid against the Kubernetes schema, with no unknown fields', () => {
    const problems: string[] = [];
    for (const document of documents) {
      const { object } = document;
      if (typeof object !== 'object' || Array.isArray(object)) {
        problems.push(`${where(document)}: not a YAML mapping`);
        continue;
      }
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model) {
        problems.push(`${where(document)}: unknown apiVersion/kind ${object.apiVersion}/${object.kind}`);
        continue;
      }
      try {
        new Model(object as never).validate();
      } catch (error) {
        problems.push(`${where(document)}: ${(error as Error).message}`);
      }
      const { apiVersion: _apiVersion, kind: _kind, ...fields } = object;
      problems.push(...unknownFields(fields, modelName(object), where(document)));
      if (!object.metadata?.name) problems.push(`${where(document)}: no metadata.name`);
    }
    expect(problems).toEqual([]);
  });

  it('puts every namespaced object in a namespace explicitly, and names each object once', () => {
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding'];
    for (const document of documents) {
      if (clusterScoped.includes(document.object.kind))
        expect(document.object.metadata.namespace).toBeUndefined();
      else expect(document.object.metadata.namespace, where(document)).toMatch(/^rise(-apps)?$/);
    }
    // rbac.yaml and rbac-namespaced.yaml are alternatives: both define ServiceAccount rise.
    const applied = documents.filter((document) => !NOT_IN_KUSTOMIZATION.includes(document.file));
    const keys = applied.map(
      ({ object }) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`,
    );
    expect(keys.length).toBe(new Set(keys).size);
  });

  describe('kustomization.yaml', () => {
    const [kustomization, ...rest] = parse('kustomization.yaml') as {
      apiVersion: string;
      kind: string;
      resources: string[];
      images: { name: string; newName?: string; newTag?: string }[];
    }[];

    it('is one Kustomization listing every manifest except the alternatives and examples', () => {
      expect(rest).toEqual([]);
      expect(kustomization?.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
      expect(kustomization?.kind).toBe('Kustomization');
      for (const resource of kustomization!.resources)
        expect(existsSync(path.join(dir, resource))).toBe(true);
      expect([...kustomization!.resources].sort()).toEqual(
        yamlFiles.filter((file) => !NOT_IN_KUSTOMIZATION.includes(file)),
      );
    });

    it('sets every container image through `images`', () => {
      const names = kustomization!.images.map((image) => image.name);
      for (const { object } of deployments()) {
        for (const container of allContainers(podSpec(object))) {
          expect(names, `${object.metadata?.name}/${container.name}`).toContain(container.image);
        }
      }
      for (const image of kustomization!.images) expect(image.newTag ?? image.newName).toBeTruthy();
    });
  });

  describe('pods', () => {
    it('give every container requests and limits for cpu and memory', () => {
      for (const { object } of deployments()) {
        for (const container of allContainers(podSpec(object))) {
          const label = `${object.metadata?.name}/${container.name}`;
          for (const bound of ['requests', 'limits'] as const) {
            expect(container.resources?.[bound]?.cpu, `${label} ${bound}.cpu`).toBeTruthy();
            expect(container.resources?.[bound]?.memory, `${label} ${bound}.memory`).toBeTruthy();
          }
        }
      }
    });

    it('run every container non-root, read-only, with no capabilities and the RuntimeDefault seccomp profile', () => {
      for (const { object } of deployments()) {
        const pod = podSpec(object);
        for (const container of allContainers(pod)) {
          const label = `${object.metadata?.name}/${container.name}`;
          const context = container.securityContext;
          expect(context?.capabilities?.drop, label).toEqual(['ALL']);
          expect(context?.capabilities?.add ?? [], label).toEqual([]);
          expect(context?.allowPrivilegeEscalation, label).toBe(false);
          expect(context?.privileged ?? false, label).toBe(false);
          expect(context?.readOnlyRootFilesystem, label).toBe(true);
          expect(context?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, label).toBe(true);
          expect(context?.seccompProfile?.type, label).toBe('RuntimeDefault');
          expect(context?.runAsUser ?? pod.securityContext?.runAsUser, label).toBeGreaterThan(0);
        }
        expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
        expect(pod.hostNetwork ?? false).toBe(false);
        expect(pod.hostPID ?? false).toBe(false);
        expect(pod.volumes?.filter((volume) => volume.hostPath) ?? []).toEqual([]);
      }
    });

    it('probe the web server on /api/health', () => {
      const web = podSpec(find<IDeployment>('Deployment', 'rise-web')).containers[0]!;
      for (const probe of [web.startupProbe, web.readinessProbe, web.livenessProbe]) {
        expect(probe?.httpGet?.path).toBe('/api/health');
        expect(probe?.httpGet?.port).toBe('http');
      }
      expect(web.ports).toContainEqual({ name: 'http', containerPort: 3000 });
    });

    it('give web and worker the ServiceAccount bound to the runtime role, and the registry no API token', () => {
      for (const name of ['rise-web', 'rise-worker']) {
        expect(podSpec(find<IDeployment>('Deployment', name)).serviceAccountName).toBe('rise');
      }
      const registry = podSpec(find<IDeployment>('Deployment', 'rise-registry'));
      expect(registry.serviceAccountName).not.toBe('rise');
      expect(registry.automountServiceAccountToken).toBe(false);
    });

    it('run the commands of the Dockerfile and docker-compose.yml', () => {
      const dockerfile = readFileSync(path.join(dir, '../../Dockerfile'), 'utf8');
      const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? 'null') as string[];
      // The image's entrypoint without a command: migrate (under Prisma's advisory lock), then serve.
      const web = podSpec(find<IDeployment>('Deployment', 'rise-web')).containers[0]!;
      expect(web.command).toEqual(entrypoint);
      const worker = podSpec(find<IDeployment>('Deployment', 'rise-worker')).containers[0]!;
      expect(worker.command).toEqual([...entrypoint, 'worker']);
      expect(readFileSync(path.join(dir, '../../docker-compose.yml'), 'utf8')).toContain(
        `command: ${JSON.stringify(worker.command?.slice(entrypoint.length)).replaceAll(',', ', ')}`,
      );
      expect(dockerfile).toMatch(/^RUN mkdir -p \.next\/cache/m);
      expect(web.volumeMounts?.map((mount) => mount.mountPath)).toContain('/app/.next/cache');
    });
  });

  describe('RBAC', () => {
    const rules = (rule: IPolicyRule) =>
      (rule.apiGroups ?? []).flatMap((group) =>
        (rule.resources ?? []).flatMap((resource) =>
          rule.verbs.map((verb) => `${group} ${resource} ${verb}`),
        ),
      );
    const expand = (contract: [string, string, string[]][]) =>
      contract
        .flatMap(([group, resource, verbs]) => verbs.map((verb) => `${group} ${resource} ${verb}`))
        .sort();

    it('uses no wildcards and never binds a built-in admin role', () => {
      for (const document of [...ofKind<IClusterRole>('ClusterRole'), ...ofKind<IClusterRole>('Role')]) {
        expect(document.object.aggregationRule, where(document)).toBeUndefined();
        for (const rule of document.object.rules ?? []) {
          const values = [
            ...(rule.apiGroups ?? []),
            ...(rule.resources ?? []),
            ...rule.verbs,
            ...(rule.resourceNames ?? []),
            ...(rule.nonResourceURLs ?? []),
          ];
          for (const value of values) expect(value, where(document)).not.toContain('*');
          // escalate/bind/impersonate would let the runtime grant itself more.
          expect(rule.verbs, where(document)).not.toEqual(
            expect.arrayContaining([expect.stringMatching(/^(escalate|bind|impersonate)$/)]),
          );
        }
      }
      for (const document of [
        ...ofKind<IClusterRoleBinding>('ClusterRoleBinding'),
        ...ofKind<IRoleBinding>('RoleBinding'),
      ]) {
        expect(['cluster-admin', 'admin', 'edit'], where(document)).not.toContain(
          document.object.roleRef.name,
        );
        expect(document.object.subjects, where(document)).toEqual([
          { kind: 'ServiceAccount', name: 'rise', namespace: 'rise' },
        ]);
      }
    });

    it('grants the ClusterRole exactly what the runtime needs', () => {
      const role = find<IClusterRole>('ClusterRole', 'rise-runtime', 'rbac.yaml');
      expect(role.rules!.flatMap(rules).sort()).toEqual(
        expand([...CLUSTER_SCOPED_RULES, ...NAMESPACED_RULES]),
      );
      const binding = find<IClusterRoleBinding>('ClusterRoleBinding', 'rise-runtime', 'rbac.yaml');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'rise-runtime',
      });
    });

    it('grants the shared-namespace Role the same minus namespaces, in that namespace only', () => {
      const role = find<IClusterRole & KubeObject>('Role', 'rise-runtime', 'rbac-namespaced.yaml');
      expect(role.rules!.flatMap(rules).sort()).toEqual(expand(NAMESPACED_RULES));
      const binding = find<IRoleBinding & KubeObject>('RoleBinding', 'rise-runtime', 'rbac-namespaced.yaml');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'rise-runtime',
      });
      expect(binding.metadata.namespace).toBe(role.metadata.namespace);
      expect(find<KubeObject>('Namespace', role.metadata.namespace!, 'rbac-namespaced.yaml')).toBeTruthy();
    });
  });

  describe('environment', () => {
    const schemaKeys = Object.keys(envSchema.shape);
    const config = find<IConfigMap>('ConfigMap', 'rise-config');
    const secret = find<ISecret>('Secret', 'rise-secrets', 'secret.example.yaml');
    const keysOf = (kind: string, name: string) => {
      const object = find<{ data?: Record<string, string>; stringData?: Record<string, string> }>(kind, name);
      return Object.keys({ ...object.data, ...object.stringData });
    };
    const riseContainers = () =>
      deployments().flatMap(({ object }) =>
        podSpec(object).containers.filter((container) => container.image === 'rise'),
      );

    it('sets in web and worker only variables src/env.ts declares (plus the allow-listed RISE_KUBE_*)', () => {
      const known = new Set(schemaKeys);
      const containers = riseContainers();
      expect(containers.map((container) => container.name).sort()).toEqual(['web', 'worker']);
      for (const container of containers) {
        const names = [
          ...(container.env ?? []).map((variable) => variable.name),
          ...(container.envFrom ?? []).flatMap((source) => {
            if (source.configMapRef) return keysOf('ConfigMap', source.configMapRef.name!);
            if (source.secretRef) return keysOf('Secret', source.secretRef.name!);
            throw new Error(`${container.name}: unexpected envFrom ${JSON.stringify(source)}`);
          }),
        ];
        expect(
          names.filter((name) => !known.has(name)),
          container.name,
        ).toEqual([]);
        expect(names).toEqual(
          expect.arrayContaining(['DATABASE_URL', 'AUTH_SECRET', 'RISE_ENCRYPTION_KEY', 'RISE_URL']),
        );
      }
    });

    it('references only ConfigMap and Secret keys that exist', () => {
      for (const { object } of deployments()) {
        for (const container of allContainers(podSpec(object))) {
          for (const variable of container.env ?? []) {
            const configRef = variable.valueFrom?.configMapKeyRef;
            if (configRef) expect(keysOf('ConfigMap', configRef.name!)).toContain(configRef.key);
            const secretRef = variable.valueFrom?.secretKeyRef;
            if (secretRef) expect(keysOf('Secret', secretRef.name!)).toContain(secretRef.key);
          }
        }
      }
    });

    it('has a rise-config that src/env.ts accepts, with the in-cluster runtime settings', () => {
      const validSecrets = {
        DATABASE_URL: 'postgresql://rise:password@postgres:5432/rise',
        AUTH_SECRET: 'a'.repeat(32),
        RISE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        RISE_OIDC_CLIENT_SECRET: 'secret',
      };
      const env = parseEnv({ ...config.data, ...validSecrets });
      expect(env.NODE_ENV).toBe('production');
      expect(env.RISE_URL).toMatch(/^https:\/\//);
      expect(config.data?.RISE_KUBE_IN_CLUSTER).toBe('true');
      for (const name of ['RISE_KUBE_NAMESPACE_FORMAT', 'RISE_KUBE_INGRESS_CLASS']) {
        expect(config.data?.[name], name).toBeTruthy();
      }
      // The handshake of private apps reaches web.yaml's Service (through an ExternalName Service).
      const web = find<{
        metadata: { name: string; namespace: string };
        spec: { ports: { port: number }[] };
      }>('Service', 'rise-web');
      expect(env.RISE_KUBE_RISE_SERVICE).toBe(
        `${web.metadata.name}.${web.metadata.namespace}.svc.cluster.local:${web.spec.ports[0]!.port}`,
      );
      // Docker-only settings would be misleading here.
      expect(Object.keys(config.data ?? {})).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^RISE_(DOCKER|CADDY|PROXY)_/)]),
      );
    });

    it('has an example Secret whose placeholders src/env.ts rejects', () => {
      expect(Object.keys(secret.stringData ?? {})).toEqual(
        expect.arrayContaining([
          'DATABASE_URL',
          'AUTH_SECRET',
          'RISE_ENCRYPTION_KEY',
          'RISE_OIDC_CLIENT_SECRET',
        ]),
      );
      expect(secret.data).toBeUndefined();
      for (const name of ['DATABASE_URL', 'AUTH_SECRET', 'RISE_ENCRYPTION_KEY']) {
        expect(() => parseEnv({ [name]: secret.stringData![name] }), name).toThrow(name);
      }
      for (const value of Object.values(secret.stringData ?? {})) expect(value).toContain('REPLACE-ME');
    });

    it('mounts RISE_DATA_DIR where the init container puts the signing key', () => {
      for (const name of ['rise-web', 'rise-worker']) {
        const pod = podSpec(find<IDeployment>('Deployment', name));
        const [init] = pod.initContainers ?? [];
        const dataDir = config.data!.RISE_DATA_DIR!;
        expect(init?.command?.join(' ')).toContain(`${dataDir}/registry/signing-key.pem`);
        expect(init?.command?.join(' ')).toContain(`${dataDir}/registry-certs/rise-registry.crt`);
        for (const container of [init!, ...pod.containers]) {
          expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: dataDir });
        }
        const signingKey = pod.volumes?.find((volume) => volume.name === 'signing-key');
        expect(signingKey?.secret?.secretName).toBe('rise-registry-signing-key');
      }
      const example = find<ISecret>('Secret', 'rise-registry-signing-key', 'secret.example.yaml');
      expect(Object.keys(example.stringData ?? {}).sort()).toEqual(['rise-registry.crt', 'signing-key.pem']);
    });
  });

  describe('registry', () => {
    const registry = podSpec(find<IDeployment>('Deployment', 'rise-registry'));
    const container = registry.containers[0]!;
    const variable = (name: string) => container.env?.find((entry) => entry.name === name);

    it("takes its token settings from rise-config, so they match Rise's", () => {
      expect(variable('RISE_URL')?.valueFrom?.configMapKeyRef).toEqual({
        name: 'rise-config',
        key: 'RISE_URL',
      });
      expect(variable('REGISTRY_AUTH_TOKEN_REALM')?.value).toBe('$(RISE_URL)/api/registry/token');
      // `$(VAR)` only expands variables defined earlier in the list.
      const names = (container.env ?? []).map((entry) => entry.name);
      expect(names.indexOf('RISE_URL')).toBeLessThan(names.indexOf('REGISTRY_AUTH_TOKEN_REALM'));
      expect(variable('REGISTRY_AUTH_TOKEN_SERVICE')?.valueFrom?.configMapKeyRef?.key).toBe(
        'RISE_REGISTRY_SERVICE',
      );
      expect(variable('REGISTRY_AUTH_TOKEN_ISSUER')?.valueFrom?.configMapKeyRef?.key).toBe(
        'RISE_REGISTRY_ISSUER',
      );
      expect(existsSync(path.join(dir, '../../src/app/api/registry/token/route.ts'))).toBe(true);
    });

    it('trusts the certificate of the signing key, and only that file of the Secret', () => {
      const bundle = variable('REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE')?.value;
      const configFile = find<IConfigMap>('ConfigMap', 'rise-registry-config').data!['config.yml']!;
      expect(configFile).toContain(`rootcertbundle: ${bundle}`);
      const certs = registry.volumes?.find(
        (volume) => volume.secret?.secretName === 'rise-registry-signing-key',
      );
      expect(certs?.secret?.items).toEqual([{ key: 'rise-registry.crt', path: path.basename(bundle!) }]);
      expect(container.volumeMounts).toContainEqual({
        name: certs!.name,
        mountPath: path.dirname(bundle!),
        readOnly: true,
      });
    });
  });
});
