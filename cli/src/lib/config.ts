import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from './errors';

const credentialsSchema = z.object({
  url: z.url(),
  token: z.string().min(1),
  username: z.string().optional(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export const DEFAULT_URL = 'http://localhost:3000';

export function configDir(env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'rise');
}

const credentialsPath = (env = process.env) => join(configDir(env), 'credentials.json');

export function readCredentials(env = process.env): Credentials | null {
  const path = credentialsPath(env);
  if (!existsSync(path)) return null;
  const parsed = credentialsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new CliError(`${path} is damaged; run \`rise login\` again.`, EXIT.unauthenticated);
  return parsed.data;
}

/** Writes the credentials file readable by the user only (0600), in a 0700 directory. */
export function writeCredentials(credentials: Credentials, env = process.env): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function deleteCredentials(env = process.env): boolean {
  const path = credentialsPath(env);
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}

/** Where and as whom to talk to Rise: flags, then RISE_URL / RISE_TOKEN, then the stored login. */
export function resolveTarget(
  flags: { url?: string },
  env = process.env,
): { url: string; token: string | null } {
  const stored = readCredentials(env);
  const url = (flags.url ?? env.RISE_URL ?? stored?.url ?? DEFAULT_URL).replace(/\/+$/, '');
  const token = env.RISE_TOKEN || (stored && stored.url.replace(/\/+$/, '') === url ? stored.token : null);
  return { url, token };
}
