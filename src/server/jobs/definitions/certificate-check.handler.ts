import { env } from '@/env';
import { checkCertificates } from '@/server/domains/certificates/certificate-check.service';
import { observeCertificate } from '@/server/domains/certificates/tls-probe';
import { groupHostOf } from '@/server/domains/projects/project-url';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { uptimeProxyTarget } from './uptime-proxy-target';

/** Room for Caddy to obtain a missing certificate on demand during the handshake (ACME takes seconds). */
const HANDSHAKE_TIMEOUT_MS = 60_000;
/** Runtimes whose apps Rise's Caddy serves; Kubernetes apps get certificates from the cluster's ingress. */
const SERVED_BY_CADDY = ['docker'];

let toldTlsOff = false;

export async function handleCertificateCheck() {
  if (env.RISE_TLS_MODE === 'off') {
    if (!toldTlsOff) {
      console.error(
        '[certificate-check] RISE_TLS_MODE is off: apps are served over plain HTTP, no certificate to check',
      );
      toldTlsOff = true;
    }
    return { skipped: 'RISE_TLS_MODE is off' };
  }
  const target = uptimeProxyTarget(env);
  return checkCertificates({
    observe: (host) => observeCertificate(target, host, HANDSHAKE_TIMEOUT_MS),
    hostOf: (project) => groupHostOf(project, DEFAULT_GROUP),
    runtimes: SERVED_BY_CADDY,
    warnDays: env.RISE_CERT_WARN_DAYS,
  });
}
