import { z } from 'zod';

export const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'Expected a domain name such as app.example.com.',
  });

export const domainView = z.object({
  hostname: z.string(),
  verified: z.boolean(),
  /**
   * How the host is served: `acme` (certificate from Let's Encrypt, obtained on demand at the first
   * HTTPS request), `internal` (Caddy's own CA) or `off` (plain HTTP).
   */
  tls: z.enum(['acme', 'internal', 'off']),
  createdAt: z.date(),
});
