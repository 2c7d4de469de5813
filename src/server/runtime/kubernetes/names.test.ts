import { describe, expect, it } from 'vitest';
import { PROJECT_NAME_PATTERN } from '@/server/domains/projects/project.schema';
import {
  assertInstanceId,
  instanceLabels,
  isOwned,
  labelSelector,
  ownerProblem,
  readInstanceLabels,
} from './labels';
import {
  deploymentName,
  envSecretName,
  HANDSHAKE_SERVICE_NAME,
  handshakeIngressName,
  isDnsLabel,
  isDnsSubdomain,
  isSharedNamespace,
  namespaceName,
  serviceName,
} from './names';

describe('namespaceName', () => {
  it('fills the project into the format', () => {
    expect(namespaceName('shop', { format: 'rise-{project}' })).toBe('rise-shop');
    expect(namespaceName('shop', { format: '{project}-apps' })).toBe('shop-apps');
  });

  it('uses the shared namespace when set, or a format without {project}', () => {
    expect(namespaceName('shop', { format: 'rise-{project}', shared: 'apps' })).toBe('apps');
    expect(namespaceName('shop', { format: 'rise-apps' })).toBe('rise-apps');
    expect(isSharedNamespace({ format: 'rise-apps' })).toBe(true);
    expect(isSharedNamespace({ format: 'rise-{project}', shared: 'apps' })).toBe(true);
    expect(isSharedNamespace({ format: 'rise-{project}' })).toBe(false);
  });

  it('shortens names beyond 63 characters with a hash that keeps projects apart', () => {
    const long = `a${'b'.repeat(61)}c`;
    const other = `a${'b'.repeat(60)}cc`;
    const name = namespaceName(long, { format: 'rise-{project}' });
    expect(name).toHaveLength(63);
    expect(isDnsLabel(name)).toBe(true);
    expect(name).toMatch(/^rise-ab+-[0-9a-f]{8}$/);
    expect(namespaceName(other, { format: 'rise-{project}' })).not.toBe(name);
    expect(namespaceName(long, { format: 'rise-{project}' })).toBe(name);
  });

  it('refuses what cannot become a namespace', () => {
    expect(() => namespaceName('Shop', { format: 'rise-{project}' })).toThrow(/invalid project/);
    expect(() => namespaceName('shop', { format: 'rise_{project}' })).toThrow(/invalid namespace/);
  });
});

describe('object names', () => {
  it('derives Deployment, Secret and Service names', () => {
    expect(deploymentName('shop', '20261122-0132-k3f9')).toBe('shop-20261122-0132-k3f9');
    expect(envSecretName('shop', '20261122-0132-k3f9')).toBe('shop-20261122-0132-k3f9-env');
    expect(serviceName('shop')).toBe('shop');
  });

  it('refuses names Kubernetes would refuse', () => {
    expect(() => deploymentName('shop', 'Bad_ID')).toThrow(/invalid deployment id/);
    expect(() => deploymentName('shop/x', 'd1')).toThrow(/invalid project/);
    expect(() => serviceName('1shop')).toThrow(/must start with a letter/);
  });
});

describe('labels', () => {
  it('labels an instance with manager, installation, project, deployment and slot', () => {
    const labels = instanceLabels('prod', { project: 'shop', deploymentId: 'd1', slot: 'a' }, { extra: 'x' });
    expect(labels).toEqual({
      extra: 'x',
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/deployment': 'd1',
      'rise.dev/slot': 'a',
    });
    expect(labelSelector({ a: '1', 'b/c': '2' })).toBe('a=1,b/c=2');
  });

  it("recognises only this installation's objects", () => {
    const labels = instanceLabels('prod', { project: 'shop', deploymentId: 'd1', slot: 'b' });
    expect(isOwned('prod', labels)).toBe(true);
    expect(isOwned('staging', labels)).toBe(false);
    expect(readInstanceLabels('prod', labels)).toEqual({ project: 'shop', deploymentId: 'd1', slot: 'b' });
    expect(readInstanceLabels('staging', labels)).toBeNull();
    expect(readInstanceLabels('prod', { ...labels, 'rise.dev/slot': 'c' })).toBeNull();
    expect(ownerProblem('prod', {})).toMatch(/not managed by Rise/);
    expect(ownerProblem('staging', labels)).toMatch(/another Rise installation \(rise.dev\/instance=prod/);
  });

  it('accepts only instance ids that are label values', () => {
    expect(() => assertInstanceId('rise')).not.toThrow();
    expect(() => assertInstanceId('test-1.a_b')).not.toThrow();
    expect(() => assertInstanceId('rise-')).toThrow(/cannot be a Kubernetes label value/);
    expect(() => assertInstanceId('x'.repeat(64))).toThrow(/cannot be a Kubernetes label value/);
  });
});

describe('handshake object names', () => {
  it("can never be the name of a project's own Service or Ingress", () => {
    // A project's Service and Ingress are named after the project.
    expect(isDnsLabel(HANDSHAKE_SERVICE_NAME)).toBe(true);
    expect(PROJECT_NAME_PATTERN.test(HANDSHAKE_SERVICE_NAME)).toBe(false);
    for (const project of ['shop', 'shop-rise-auth', 'a'.repeat(63)]) {
      const name = handshakeIngressName(project);
      expect(isDnsSubdomain(name), name).toBe(true);
      expect(PROJECT_NAME_PATTERN.test(name), name).toBe(false);
    }
    expect(handshakeIngressName('shop')).toBe('shop.rise-auth');
  });
});
