import { authenticatedApi } from '../lib/api';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say } from '../lib/output';

type Common = { url?: string; output: string };
const ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
type Role = (typeof ROLES)[number];

const client = authenticatedApi;

export async function createTeam(name: string, options: Common) {
  const team = await client(options).team.create.mutate({ name });
  if (options.output === 'json') return printJson(team);
  say(`Created team '${team.name}'; you are its owner.`);
}

export async function listTeams(options: Common & { all?: boolean }) {
  const teams = await client(options).team.list.query({ all: options.all ?? false });
  if (options.output === 'json') return printJson(teams);
  if (teams.length === 0) return say('You are in no team yet. Create one: rise t c devops');
  printTable(
    [
      { title: 'TEAM', width: 16 },
      { title: 'ROLE', width: 12 },
      { title: 'MEMBERS', width: 10 },
      { title: 'PROJECTS', width: 0 },
    ],
    teams.map((t) => [t.name, t.role, String(t.memberCount), String(t.projectCount)]),
  );
}

export async function showTeam(name: string, options: Common) {
  const team = await client(options).team.get.query({ team: name });
  if (options.output === 'json') return printJson(team);
  printTable(
    [
      { title: 'MEMBER', width: 24 },
      { title: 'ROLE', width: 12 },
      { title: 'EMAIL', width: 0 },
    ],
    team.members.map((m) => [`user:${m.username}`, m.role, m.email]),
  );
}

/** `--add user:alice=developer` → { user: 'alice', role: 'developer' }. */
export function parseMemberChange(value: string): { user: string; role: Role } {
  const [user, role = 'developer'] = value.replace(/^user:/, '').split('=');
  if (!user || !ROLES.includes(role as Role)) {
    throw new CliError(`--add expects user:<name>=<${ROLES.join('|')}>, got '${value}'.`, EXIT.usage);
  }
  return { user, role: role as Role };
}

export async function updateTeam(name: string, options: Common & { add?: string[]; remove?: string[] }) {
  const api = client(options);
  for (const change of (options.add ?? []).map(parseMemberChange)) {
    await api.team.addMember.mutate({ team: name, ...change });
    say(`Added user:${change.user} to '${name}' as ${change.role}.`);
  }
  for (const user of options.remove ?? []) {
    await api.team.removeMember.mutate({ team: name, user });
    say(`Removed ${user.startsWith('user:') ? user : `user:${user}`} from '${name}'.`);
  }
  if (!options.add?.length && !options.remove?.length)
    say('Nothing to change: use --add user:<name>=<role> or --remove user:<name>.');
}

export async function deleteTeam(name: string, options: Common) {
  await client(options).team.delete.mutate({ team: name });
  say(`Deleted team '${name}'.`);
}
