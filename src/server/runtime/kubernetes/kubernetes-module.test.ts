import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { kubernetesModule, kubernetesRouterSettings } from './kubernetes-module';

describe('kubernetesRouterSettings', () => {
  const base = {
    RISE_URL: 'https://rise.example.com',
    RISE_TLS_MODE: 'acme' as const,
    RISE_KUBE_INGRESS_CLASS: undefined,
    RISE_KUBE_TLS_SECRET: undefined,
    RISE_KUBE_CERT_MANAGER_ISSUER: undefined,
    RISE_KUBE_AUTH_URL: undefined,
    RISE_KUBE_RISE_SERVICE: 'rise-web.rise.svc.cluster.local:80',
  };

  it('takes TLS from a Secret before an issuer, and none when TLS is off', () => {
    expect(kubernetesRouterSettings(base)).toEqual({
      ingressClass: null,
      tls: null,
      auth: {
        url: 'https://rise.example.com/api/proxy/auth',
        signinUrl: 'https://$http_host/.rise/auth/start',
        riseService: { host: 'rise-web.rise.svc.cluster.local', port: 80 },
      },
    });
    // The local layout without TLS; Rise's Service somewhere else.
    const local = kubernetesRouterSettings({
      ...base,
      RISE_TLS_MODE: 'off',
      RISE_KUBE_RISE_SERVICE: 'rise.platform.svc:3000',
    }).auth;
    expect(local.signinUrl).toBe('http://$http_host/.rise/auth/start');
    expect(local.riseService).toEqual({ host: 'rise.platform.svc', port: 3000 });
    const both = { ...base, RISE_KUBE_TLS_SECRET: 'wild', RISE_KUBE_CERT_MANAGER_ISSUER: 'le' };
    expect(kubernetesRouterSettings(both).tls).toEqual({ secretName: 'wild' });
    expect(kubernetesRouterSettings({ ...base, RISE_KUBE_CERT_MANAGER_ISSUER: 'le' }).tls).toEqual({
      clusterIssuer: 'le',
    });
    expect(kubernetesRouterSettings({ ...both, RISE_TLS_MODE: 'off' }).tls).toBeNull();
    expect(
      kubernetesRouterSettings({ ...base, RISE_KUBE_AUTH_URL: 'http://rise.rise.svc:3000/api/proxy/auth' })
        .auth.url,
    ).toBe('http://rise.rise.svc:3000/api/proxy/auth');
  });
});

describe('kubernetesModule', () => {
  const env = (overrides: Record<string, string>) =>
    parseEnv({ RISE_URL: 'https://rise.example.com', ...overrides });

  it('reads its settings from the environment, pods get RISE_STOP_GRACE_MS in whole seconds', () => {
    const settings = kubernetesModule.settings(
      env({ RISE_KUBE_NAMESPACE: 'apps', RISE_KUBE_RUN_AS_NON_ROOT: 'true', RISE_STOP_GRACE_MS: '2500' }),
    );
    expect(settings).toMatchObject({
      inCluster: false,
      namespaceFormat: 'rise-{project}',
      namespace: 'apps',
      runAsNonRoot: true,
      terminationGraceSeconds: 3,
    });
    expect(settings.router.auth.riseService).toEqual({ host: 'rise-web.rise.svc.cluster.local', port: 80 });
  });

  it('has the engine reach apps through their Service', () => {
    expect(kubernetesModule.engineSettings).toEqual({ upstreamMode: 'network' });
  });
});
