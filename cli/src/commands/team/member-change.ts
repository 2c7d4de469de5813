import { CliError, EXIT } from '../../lib/errors';

const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
type Role = (typeof ROLES)[number];

/** `--add user:alice=developer` → { user: 'alice', role: 'developer' }. */
export function parseMemberChange(value: string): { user: string; role: Role } {
  const [user, role = 'developer'] = value.replace(/^user:/, '').split('=');
  if (!user || !ROLES.includes(role as Role)) {
    throw new CliError(`--add expects user:<name>=<${ROLES.join('|')}>, got '${value}'.`, EXIT.usage);
  }
  return { user, role: role as Role };
}
