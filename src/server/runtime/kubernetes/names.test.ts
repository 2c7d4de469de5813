import { describe, expect, it } from 'vitest';
import { PROJECT_NAME_PATTERN } from '@/server/domains/projects/project.schema';
import { groupSlug } from '@/shared/deployment-groups';
import {
  assertInstanceId,
  belongsToGroup,
  groupLabels,
  instanceLabels,
  isOwned,
  labelSelector,
  ownerProblem,
  processOfLabels,
  processSelector,
  readInstanceLabels,
} from './labels';
import {
  deploymentName,
  envSecretName,
  HANDSHAKE_SERVICE_NAME,
  handshakeIngressName,
  ingressName,
  isDnsLabel,
  isDnsSubdomain,
  isSharedNamespace,
  namespaceName,
  PULL_SECRET_NAME,
  processDeploymentName,
  processEnvSecretName,
  pullSecretName,
  serviceName,
  tlsSecretName,
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

describe('names of a process', () => {
  const id = '20261122-0132-k3f9';

  it("keeps web's names as before processes; names another process <project>-<deploymentId>--<process>", () => {
    expect(processDeploymentName('shop', id, 'web')).toBe(deploymentName('shop', id));
    expect(processEnvSecretName('shop', id, 'web')).toBe(envSecretName('shop', id));
    expect(processDeploymentName('shop', id, 'worker')).toBe(`shop-${id}--worker`);
    expect(processEnvSecretName('shop', id, 'worker')).toBe(`shop-${id}--worker-env`);
  });

  it("never takes a one-off's names: a worker named like a one-off kind keeps its own env Secret", () => {
    // A release one-off of the deployment is `<project>-<deploymentId>-release` (Job and `-env` Secret).
    expect(processEnvSecretName('shop', id, 'release')).not.toBe(envSecretName('shop', `${id}-release`));
    expect(processDeploymentName('shop', id, 'release')).not.toBe(deploymentName('shop', `${id}-release`));
  });

  it('fits a long name into a DNS label with a hash that keeps processes and projects apart', () => {
    const project = `a${'b'.repeat(40)}c`;
    const name = processDeploymentName(project, id, 'queue-consumer-long');
    expect(name).toHaveLength(63);
    expect(isDnsLabel(name)).toBe(true);
    expect(name).toMatch(/^ab+-[0-9a-f]{8}--queue-consumer-long$/);
    expect(processDeploymentName(project, id, 'queue-consumer-lon')).not.toBe(name);
    expect(processDeploymentName(project, id, 'queue-consumer-long')).toBe(name);
    expect(isDnsSubdomain(processEnvSecretName(project, id, 'queue-consumer-long'))).toBe(true);
    // Short ones are left as they are.
    expect(processDeploymentName('shop', id, 'a'.repeat(20))).toBe(`shop-${id}--${'a'.repeat(20)}`);
  });

  it('refuses a process name Kubernetes would refuse', () => {
    expect(() => processDeploymentName('shop', id, 'Worker')).toThrow(/invalid process/);
    expect(() => processDeploymentName('shop', id, 'a_b')).toThrow(/invalid process/);
  });

  it('selects one process of a deployment; an object without a process label is web', () => {
    expect(processSelector('prod', 'shop', id, 'worker')).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/deployment': id,
      'rise.dev/process': 'worker',
    });
    expect(
      instanceLabels('prod', { project: 'shop', deploymentId: id, slot: 'a', process: 'worker' }),
    ).toMatchObject({ 'rise.dev/process': 'worker' });
    expect(processOfLabels({ 'rise.dev/process': 'worker' })).toBe('worker');
    expect(processOfLabels({ 'rise.dev/deployment': id })).toBe('web');
    expect(processOfLabels(undefined)).toBe('web');
  });
});

describe('labels', () => {
  it('labels an instance with manager, installation, project, deployment, process and slot', () => {
    const labels = instanceLabels('prod', { project: 'shop', deploymentId: 'd1', slot: 'a' }, { extra: 'x' });
    expect(labels).toEqual({
      extra: 'x',
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/deployment': 'd1',
      'rise.dev/process': 'web',
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

describe('names of a deployment group', () => {
  const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

  it('keeps the default group on the names it always had', () => {
    for (const group of [undefined, 'default']) {
      expect(serviceName('shop', group)).toBe('shop');
      expect(ingressName('shop', group)).toBe('shop');
      expect(handshakeIngressName('shop', group)).toBe('shop.rise-auth');
      expect(tlsSecretName('shop', group)).toBe('shop-tls');
    }
  });

  it("names a group's Service, Ingresses and certificate Secret after the project and the slug", () => {
    const service = serviceName('shop', 'mr--26');
    expect(service).toMatch(/^shop-mr--26-[0-9a-f]{8}$/);
    expect(serviceName('shop', 'mr--26')).toBe(service);
    expect(ingressName('shop', 'mr--26')).toBe('shop.group.mr--26');
    expect(handshakeIngressName('shop', 'mr--26')).toBe('shop.group.mr--26.rise-auth');
    expect(tlsSecretName('shop', 'mr--26')).toBe('shop.group.mr--26-tls');
  });

  it('fits the longest project and slug: a Service is a DNS-1035 label, the rest DNS subdomains', () => {
    const project = `p${'a'.repeat(61)}z`;
    const slug = groupSlug(`${'g'.repeat(30)}/${'h'.repeat(31)}`);
    expect(slug).toHaveLength(63);
    const service = serviceName(project, slug);
    expect(service).toHaveLength(63);
    expect(service).toMatch(DNS_1035_LABEL);
    for (const name of [ingressName(project, slug), handshakeIngressName(project, slug)]) {
      expect(isDnsSubdomain(name), name).toBe(true);
    }
    expect(isDnsSubdomain(tlsSecretName(project, slug))).toBe(true);
  });

  it('never gives two groups, or a group and a project, the same object in a shared namespace', () => {
    const long = `p${'a'.repeat(61)}z`;
    const projects = [
      'shop',
      'shop-mr',
      'shop-mr--26',
      'shop-group',
      'shop-rise-auth',
      'rise-registry',
      long,
      `${long.slice(0, -1)}y`,
    ];
    const groups = [
      undefined,
      'mr--26',
      '26',
      'mr-26',
      'group',
      'rise-auth',
      'tls',
      'registry-pull',
      'x'.repeat(63),
      `${'x'.repeat(62)}y`,
    ];
    const services = new Map<string, string>();
    const ingresses = new Map<string, string>();
    const secrets = new Map<string, string>([[PULL_SECRET_NAME, 'shared pull secret']]);
    const claim = (names: Map<string, string>, name: string, owner: string) => {
      expect(names.get(name), `${name} of ${owner}`).toBeUndefined();
      names.set(name, owner);
    };
    for (const project of projects) {
      claim(secrets, pullSecretName(project, true), `${project} pull`);
      claim(secrets, envSecretName(project, '20261122-0132-k3f9'), `${project} env`);
      for (const group of groups) {
        const owner = `${project} / ${group ?? 'default'}`;
        const service = serviceName(project, group);
        expect(service, owner).toMatch(DNS_1035_LABEL);
        expect(service.length, owner).toBeLessThanOrEqual(63);
        claim(services, service, owner);
        for (const ingress of [ingressName(project, group), handshakeIngressName(project, group)]) {
          expect(isDnsSubdomain(ingress), ingress).toBe(true);
          claim(ingresses, ingress, owner);
        }
        claim(secrets, tlsSecretName(project, group), `${owner} tls`);
      }
    }
    expect(services.size).toBe(projects.length * groups.length);
    // The handshake Service is no project's and no group's.
    expect(services.has(HANDSHAKE_SERVICE_NAME)).toBe(false);
    // A group's Ingresses and certificate Secret have a '.', which no project name has.
    for (const project of projects) {
      expect(PROJECT_NAME_PATTERN.test(ingressName(project, 'mr--26'))).toBe(false);
      expect(PROJECT_NAME_PATTERN.test(tlsSecretName(project, 'mr--26'))).toBe(false);
    }
  });

  it('keeps groups apart whose readable part is the same', () => {
    // `shop-mr` + `26` and `shop` + `mr-26` read alike; a cut at 54 characters makes long ones alike.
    expect(serviceName('shop-mr', '26')).not.toBe(serviceName('shop', 'mr-26'));
    expect(serviceName('shop-mr', '26').slice(0, -9)).toBe(serviceName('shop', 'mr-26').slice(0, -9));
    const project = `p${'a'.repeat(60)}z`;
    expect(serviceName(project, 'one')).not.toBe(serviceName(project, 'two'));
  });

  it('refuses a group that is not a slug', () => {
    expect(() => serviceName('shop', 'mr/26')).toThrow(/invalid group "mr\/26"/);
    expect(() => ingressName('shop', 'Mr')).toThrow(/invalid group/);
    expect(() => tlsSecretName('shop', 'x'.repeat(64))).toThrow(/invalid group/);
  });

  it("labels a group's objects with the group, and tells groups' objects apart by their labels", () => {
    const labels = instanceLabels('prod', {
      project: 'shop',
      group: 'mr--26',
      deploymentId: 'd1',
      slot: 'a',
    });
    expect(labels).toEqual({
      'app.kubernetes.io/managed-by': 'rise',
      'rise.dev/instance': 'prod',
      'rise.dev/project': 'shop',
      'rise.dev/group': 'mr--26',
      'rise.dev/deployment': 'd1',
      'rise.dev/process': 'web',
      'rise.dev/slot': 'a',
    });
    expect(readInstanceLabels('prod', labels)).toEqual({
      project: 'shop',
      group: 'mr--26',
      deploymentId: 'd1',
      slot: 'a',
    });
    expect(groupLabels('prod', 'shop')).toEqual(groupLabels('prod', 'shop', 'default'));
    expect(groupLabels('prod', 'shop')).not.toHaveProperty(['rise.dev/group']);

    expect(belongsToGroup(labels, 'shop', 'mr--26')).toBe(true);
    expect(belongsToGroup(labels, 'shop')).toBe(false);
    expect(belongsToGroup(labels, 'shop', 'pr-7')).toBe(false);
    expect(belongsToGroup(labels, 'shop-mr--26')).toBe(false);
    const project = groupLabels('prod', 'shop');
    expect(belongsToGroup(project, 'shop')).toBe(true);
    expect(belongsToGroup(project, 'shop', 'default')).toBe(true);
    expect(belongsToGroup(project, 'shop', 'mr--26')).toBe(false);
    expect(belongsToGroup(undefined, 'shop')).toBe(false);
  });
});
