import tls from 'node:tls';
import type { PresentedCertificate, TlsObservation } from './certificate-verdict';

/**
 * Opens a TLS connection to `address:port` with SNI = `host`, as a browser of that host would, and
 * reads the certificate presented (not verified here: certificateVerdict judges it). With on-demand
 * TLS the handshake is when Caddy obtains a missing certificate, so `timeoutMs` leaves room for that.
 */
export function observeCertificate(
  target: { address: string; port: number },
  host: string,
  timeoutMs: number,
): Promise<TlsObservation> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (observation: TlsObservation) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(observation);
    };
    const socket = tls.connect({
      host: target.address,
      port: target.port,
      servername: host,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    socket.setTimeout(timeoutMs, () =>
      settle({ kind: 'handshake-failed', error: `no handshake within ${timeoutMs} ms` }),
    );
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      if (!peer || Object.keys(peer).length === 0) {
        settle({ kind: 'handshake-failed', error: 'the server presented no certificate' });
        return;
      }
      const certificate = presented(peer);
      settle(
        certificate
          ? { kind: 'certificate', certificate }
          : {
              kind: 'handshake-failed',
              error: `unreadable validity dates: ${peer.valid_from} – ${peer.valid_to}`,
            },
      );
    });
    socket.once('error', (error) => settle({ kind: 'handshake-failed', error: describeTlsError(error) }));
  });
}

function presented(peer: tls.PeerCertificate): PresentedCertificate | null {
  const validFrom = new Date(peer.valid_from);
  const validTo = new Date(peer.valid_to);
  if (Number.isNaN(validFrom.getTime()) || Number.isNaN(validTo.getTime())) return null;
  const dnsNames = (peer.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  return { dnsNames, validFrom, validTo };
}

/** OpenSSL's messages carry a source location (`…:error:0A000438:SSL routines::tlsv1 alert internal error`). */
function describeTlsError(error: Error & { code?: string }): string {
  const message = error.message.trim();
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1]?.trim();
  return reason ?? message;
}
