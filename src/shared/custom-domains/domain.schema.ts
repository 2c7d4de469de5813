import { z } from 'zod';

export const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'Expected a domain name such as app.example.com.',
  });

export const domainStatus = z.enum(['pending', 'verified']);

export const domainView = z.object({
  hostname: z.string(),
  /**
   * `pending`: added but not proven; it gets no route and no certificate until the TXT record or the
   * HTTP token below is found. `verified`: routed to the project.
   */
  status: domainStatus,
  /**
   * How the host is served: `acme` (certificate from Let's Encrypt, obtained on demand at the first
   * HTTPS request), `internal` (Caddy's own CA) or `off` (plain HTTP).
   */
  tls: z.enum(['acme', 'internal', 'off']),
  /** The proof Rise looks for: either one is enough. */
  challenge: z.object({
    txt: z.object({ name: z.string(), value: z.string() }),
    http: z.object({ url: z.string(), body: z.string() }),
  }),
  verifiedAt: z.date().nullable(),
  lastCheckedAt: z.date().nullable(),
  /** Why the last check did not verify it, e.g. `TXT _rise-challenge.app.example.com not found; …`. */
  lastCheckError: z.string().nullable(),
  /**
   * The last check of the certificate Rise's proxy serves for the domain (every 15 minutes, verified
   * domains of running apps with TLS on); null before the first one.
   */
  certificate: z
    .object({
      checkedAt: z.date(),
      ok: z.boolean(),
      /** Why it failed, e.g. `no certificate for app.example.com: the TLS handshake failed (…)`. */
      reason: z.string().nullable(),
      expiresAt: z.date().nullable(),
    })
    .nullable(),
  createdAt: z.date(),
});

export type DomainView = z.infer<typeof domainView>;
