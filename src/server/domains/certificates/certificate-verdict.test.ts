import { describe, expect, it } from 'vitest';
import {
  certificateVerdict,
  coversHost,
  expiryWarningMs,
  type PresentedCertificate,
} from './certificate-verdict';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = new Date('2026-12-02T12:00:00Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const acme = (validTo: Date, dnsNames = ['app.example.org']): PresentedCertificate => ({
  dnsNames,
  validFrom: new Date(validTo.getTime() - 90 * DAY),
  validTo,
});
const verdict = (certificate: PresentedCertificate, host = 'app.example.org', warnDays = 14) =>
  certificateVerdict(host, { kind: 'certificate', certificate }, now, warnDays);

describe('coversHost', () => {
  it('matches names exactly, ignoring case and a trailing dot', () => {
    expect(coversHost(['App.Example.org'], 'app.example.org.')).toBe(true);
    expect(coversHost(['app.example.org'], 'www.example.org')).toBe(false);
    expect(coversHost([], 'app.example.org')).toBe(false);
  });

  it('lets a wildcard cover exactly one label', () => {
    expect(coversHost(['*.example.org'], 'app.example.org')).toBe(true);
    expect(coversHost(['*.example.org'], 'a.b.example.org')).toBe(false);
    expect(coversHost(['*.example.org'], 'example.org')).toBe(false);
  });
});

describe('expiryWarningMs', () => {
  it('is the warning days for long-lived certificates and a sixth of the lifetime for short ones', () => {
    expect(expiryWarningMs(acme(at(60 * DAY)), 14)).toBe(14 * DAY);
    expect(expiryWarningMs(acme(at(60 * DAY)), 20)).toBe(15 * DAY);
    const internal = { dnsNames: ['a'], validFrom: at(-HOUR), validTo: at(11 * HOUR) };
    expect(expiryWarningMs(internal, 14)).toBe(2 * HOUR);
  });
});

describe('certificateVerdict', () => {
  it('passes a certificate that covers the host and is far from its expiry', () => {
    expect(verdict(acme(at(30 * DAY)))).toEqual({ ok: true, expiresAt: at(30 * DAY) });
  });

  it('passes a fresh 12-hour internal certificate, fails one with less than a sixth of its life left', () => {
    const fresh = { dnsNames: ['app.example.org'], validFrom: at(-HOUR), validTo: at(11 * HOUR) };
    expect(verdict(fresh).ok).toBe(true);
    const stale = { dnsNames: ['app.example.org'], validFrom: at(-11 * HOUR), validTo: at(HOUR) };
    expect(verdict(stale)).toEqual({
      ok: false,
      reason: `the certificate for app.example.org expires at ${at(HOUR).toISOString()} (in 1 h) and was not renewed`,
      expiresAt: at(HOUR),
    });
  });

  it('fails a certificate within the warning days of its expiry', () => {
    const result = verdict(acme(at(10 * DAY)));
    expect(result).toMatchObject({ ok: false, expiresAt: at(10 * DAY) });
    expect(!result.ok && result.reason).toContain('(in 10 d) and was not renewed');
    expect(verdict(acme(at(14 * DAY + HOUR))).ok).toBe(true);
  });

  it('fails an expired certificate and one not valid yet', () => {
    expect(verdict(acme(at(-HOUR)))).toMatchObject({
      ok: false,
      reason: `the certificate for app.example.org expired at ${at(-HOUR).toISOString()}`,
    });
    const future = { dnsNames: ['app.example.org'], validFrom: at(DAY), validTo: at(91 * DAY) };
    expect(verdict(future)).toMatchObject({
      ok: false,
      reason: `the certificate for app.example.org is not valid before ${at(DAY).toISOString()}`,
    });
  });

  it('fails a certificate that does not name the host, saying what it names', () => {
    expect(verdict(acme(at(30 * DAY), ['other.example.org', '*.example.net']))).toMatchObject({
      ok: false,
      reason:
        'the certificate served for app.example.org does not cover it (it names other.example.org, *.example.net)',
    });
  });

  it('fails a failed handshake: no certificate could be presented', () => {
    expect(
      certificateVerdict('app.example.org', { kind: 'handshake-failed', error: 'internal error' }, now, 14),
    ).toEqual({
      ok: false,
      reason:
        'no certificate for app.example.org: the TLS handshake failed (internal error); Caddy could not obtain or present one',
      expiresAt: null,
    });
  });
});
