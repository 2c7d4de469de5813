/**
 * Response headers of every page and API answer of Rise's own host. `frame-ancestors 'none'` (and
 * X-Frame-Options for older browsers) stops clickjacking of pages such as /cli/login's approval.
 * Scripts and styles allow 'unsafe-inline' because Next.js inlines its bootstrap and hydration data;
 * everything is same-origin, so injected markup still cannot load or send anything elsewhere.
 */
export function securityHeaders(options: { development: boolean }): { key: string; value: string }[] {
  const scripts = ["'self'", "'unsafe-inline'", ...(options.development ? ["'unsafe-eval'"] : [])];
  const csp = [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return [
    { key: 'Content-Security-Policy', value: csp },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  ];
}

/** HSTS for two years when Rise's own URL is https; browsers ignore it over plain HTTP anyway. */
export function strictTransportSecurity(riseUrl: string | undefined): string | null {
  return riseUrl?.startsWith('https://') ? 'max-age=63072000' : null;
}
