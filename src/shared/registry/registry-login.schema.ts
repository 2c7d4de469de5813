import { z } from 'zod';

// Client-safe (the dashboard imports it): the host schema needs node:net, so it lives in
// registry-login-host.schema.ts.

// Basic auth joins them as `user:password`: a colon in the user name would move the boundary.
export const registryUsername = z
  .string()
  .min(1, { message: 'Enter the user name of the registry login.' })
  .max(255, { message: 'Registry user names are at most 255 characters.' })
  .regex(/^[^\s:\p{Cc}]+$/u, {
    message: 'Registry user names have no spaces, colons or control characters.',
  });

// Tokens and JSON keys (Google's `_json_key`) are long and may span lines; NUL never belongs in one.
export const registryPassword = z
  .string()
  .min(1, { message: 'Enter the password or access token of the registry login.' })
  .max(16_384, { message: 'Registry passwords are at most 16384 characters.' })
  .regex(/^[^\0]*$/, { message: 'Registry passwords cannot contain NUL characters.' });

/** What the API shows of a login: never the password. */
export const registryLoginView = z.object({
  host: z.string(),
  username: z.string(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type RegistryLoginView = z.infer<typeof registryLoginView>;
