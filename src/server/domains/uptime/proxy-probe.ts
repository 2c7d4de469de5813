import http from 'node:http';
import https from 'node:https';

export type ProxyTarget = {
  /** Where Rise's proxy (Caddy, or `npm start`'s edge in front of it) listens. */
  address: string;
  port: number;
  /** HTTPS (the proxy serves TLS for the app hosts) or plain HTTP. */
  tls: boolean;
};

export type ProbeOutcome = {
  up: boolean;
  statusCode: number | null;
  responseMs: number;
  error: string | null;
};

/**
 * GET / of `host` through the proxy, as a visitor would reach it (the Host header, and SNI for TLS).
 * Up: any answer below 500 (a 404 or a sign-in redirect is the app or Rise answering; 502/503 is the
 * proxy finding nothing behind the host). The certificate is not verified: this checks the app is
 * served, not the proxy's certificates (an internal CA, or one still being issued).
 */
export function probeThroughProxy(
  target: ProxyTarget,
  host: string,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    const options = {
      host: target.address,
      port: target.port,
      path: '/',
      method: 'GET',
      agent: false as const,
      headers: { host, 'user-agent': 'rise-uptime' },
      timeout: timeoutMs,
    };
    const onResponse = (response: http.IncomingMessage) => {
      const statusCode = response.statusCode ?? 0;
      response.resume();
      response.on('end', () =>
        resolve({
          up: statusCode > 0 && statusCode < 500,
          statusCode,
          responseMs: elapsed(),
          error: statusCode >= 500 ? `answered ${statusCode}` : null,
        }),
      );
      response.on('error', (error) =>
        resolve({ up: false, statusCode, responseMs: elapsed(), error: error.message }),
      );
    };
    const request = target.tls
      ? https.request({ ...options, servername: host, rejectUnauthorized: false }, onResponse)
      : http.request(options, onResponse);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) =>
      resolve({ up: false, statusCode: null, responseMs: elapsed(), error: error.message }),
    );
    request.end();
  });
}
