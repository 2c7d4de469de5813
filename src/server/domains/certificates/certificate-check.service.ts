import { setTimeout as sleep } from 'node:timers/promises';
import { raiseNotification } from '../notifications/notification.service';
import { certificateCheckRepo } from './certificate-check.repo';
import { certificateVerdict, type TlsObservation } from './certificate-verdict';

export type CertificateCheckDeps = {
  /** One TLS handshake with Rise's proxy, SNI = the host (observeCertificate). */
  observe: (host: string) => Promise<TlsObservation>;
  /** The app host of a project (`<name>.<base domain>`). */
  hostOf: (project: string) => string;
  /** The runtimes whose apps the checked proxy serves (Kubernetes apps: the cluster's ingress). */
  runtimes: readonly string[];
  /** RISE_CERT_WARN_DAYS (see expiryWarningMs). */
  warnDays: number;
  /**
   * Pause before the one retry of a failed handshake (default 2 s): Caddy 2.6 fails some handshakes
   * that race other hosts' first on-demand issuance, and answers the next one.
   */
  retryDelayMs?: number;
  /** Handshakes at once (each may wait for an on-demand issuance). */
  concurrency?: number;
  now?: () => Date;
};

export type CertificateCheckReport = { checked: number; failing: number; raised: number; recovered: number };

/**
 * Checks the certificate Rise's proxy serves for every app host and verified custom domain of the
 * running projects, and records the result per host (a failed handshake is tried once more first).
 * A host that starts failing (no certificate, one that does not cover it, or one about to expire:
 * certificateVerdict) raises `certificate.failed` once; it is raised again only after a passing check
 * ended that streak.
 */
export async function checkCertificates(deps: CertificateCheckDeps): Promise<CertificateCheckReport> {
  const projects = await certificateCheckRepo.servedProjects(deps.runtimes);
  const hosts = projects.flatMap((project) =>
    [deps.hostOf(project.name), ...project.domains.map((domain) => domain.hostname)].map((hostname) => ({
      hostname,
      project,
    })),
  );
  const hostnames = hosts.map((host) => host.hostname);
  const streaks = await certificateCheckRepo.failingSince(hostnames);
  const report: CertificateCheckReport = { checked: 0, failing: 0, raised: 0, recovered: 0 };
  const queue = [...hosts];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { hostname, project } = next;
      let observation = await deps.observe(hostname);
      if (observation.kind === 'handshake-failed') {
        await sleep(deps.retryDelayMs ?? 2000);
        observation = await deps.observe(hostname);
      }
      const now = deps.now?.() ?? new Date();
      const verdict = certificateVerdict(hostname, observation, now, deps.warnDays);
      report.checked++;
      await certificateCheckRepo.record({
        hostname,
        projectId: project.id,
        checkedAt: now,
        ok: verdict.ok,
        reason: verdict.ok ? null : verdict.reason,
        expiresAt: verdict.expiresAt,
      });
      if (verdict.ok) {
        if (streaks.get(hostname)) report.recovered++;
        continue;
      }
      report.failing++;
      if (!(await certificateCheckRepo.markFailing(hostname, now))) continue;
      report.raised++;
      await raiseNotification({
        kind: 'certificate.failed',
        projectId: project.id,
        title: `Certificate problem for ${hostname}`,
        details: {
          hostname,
          reason: verdict.reason,
          expiresAt: verdict.expiresAt?.toISOString() ?? null,
        },
        dedupeKey: `certificate.failed:${hostname}:${now.toISOString()}`,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
  await certificateCheckRepo.deleteOthers(hostnames);
  return report;
}

/** A project's latest certificate checks (the Domains tab). */
export function listCertificateChecks(projectId: string) {
  return certificateCheckRepo.listForProject(projectId);
}
