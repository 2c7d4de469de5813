/** What the certificate a TLS server presented says, as the check reads it. */
export type PresentedCertificate = {
  /** DNS names of the subjectAltName extension (a leading `*.` is a wildcard for one label). */
  dnsNames: string[];
  validFrom: Date;
  validTo: Date;
};

/** One TLS handshake with SNI = the host: the certificate presented, or why there was none. */
export type TlsObservation =
  | { kind: 'certificate'; certificate: PresentedCertificate }
  | { kind: 'handshake-failed'; error: string };

export type CertificateVerdict =
  | { ok: true; expiresAt: Date }
  | { ok: false; reason: string; expiresAt: Date | null };

const DAY_MS = 86_400_000;

/**
 * How close to its expiry a certificate may get before renewal counts as failing: `warnDays`, or a
 * sixth of the certificate's lifetime when that is shorter. Caddy renews with a third of the lifetime
 * left, so a sixth left means renewal has failed for half its window; without the cap every
 * certificate of Caddy's internal CA (12 hours) would be "about to expire".
 */
export function expiryWarningMs(certificate: PresentedCertificate, warnDays: number): number {
  const lifetime = certificate.validTo.getTime() - certificate.validFrom.getTime();
  return Math.min(warnDays * DAY_MS, Math.max(0, lifetime) / 6);
}

/** Whether a certificate naming `dnsNames` is valid for `host` (RFC 6125: a wildcard covers one label). */
export function coversHost(dnsNames: readonly string[], host: string): boolean {
  const wanted = host.toLowerCase().replace(/\.$/, '');
  return dnsNames.some((raw) => {
    const name = raw.toLowerCase().replace(/\.$/, '');
    if (!name.startsWith('*.')) return name === wanted;
    const dot = wanted.indexOf('.');
    return dot > 0 && wanted.slice(dot + 1) === name.slice(2);
  });
}

/**
 * Whether the certificate Caddy serves for `host` is fine: presented (Caddy obtained one), naming the
 * host, valid now, and not within the expiry warning (expiryWarningMs) of its end. Trust in the
 * issuing CA is not judged: Caddy's internal CA is trusted by choice of the operator.
 */
export function certificateVerdict(
  host: string,
  observation: TlsObservation,
  now: Date,
  warnDays: number,
): CertificateVerdict {
  if (observation.kind === 'handshake-failed') {
    return {
      ok: false,
      reason: `no certificate for ${host}: the TLS handshake failed (${observation.error}); Caddy could not obtain or present one`,
      expiresAt: null,
    };
  }
  const { certificate } = observation;
  const expiresAt = certificate.validTo;
  if (!coversHost(certificate.dnsNames, host)) {
    const names = certificate.dnsNames.length > 0 ? certificate.dnsNames.join(', ') : 'no DNS names';
    return {
      ok: false,
      reason: `the certificate served for ${host} does not cover it (it names ${names})`,
      expiresAt,
    };
  }
  if (certificate.validFrom.getTime() > now.getTime()) {
    return {
      ok: false,
      reason: `the certificate for ${host} is not valid before ${certificate.validFrom.toISOString()}`,
      expiresAt,
    };
  }
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) {
    return {
      ok: false,
      reason: `the certificate for ${host} expired at ${expiresAt.toISOString()}`,
      expiresAt,
    };
  }
  if (left < expiryWarningMs(certificate, warnDays)) {
    return {
      ok: false,
      reason: `the certificate for ${host} expires at ${expiresAt.toISOString()} (in ${describeDuration(left)}) and was not renewed`,
      expiresAt,
    };
  }
  return { ok: true, expiresAt };
}

function describeDuration(ms: number): string {
  if (ms >= DAY_MS) return `${Math.floor(ms / DAY_MS)} d`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)} h`;
  return `${Math.max(1, Math.floor(ms / 60_000))} min`;
}
