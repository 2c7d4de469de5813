import { type Role, roleAtLeast } from '@/server/domains/access/permissions';

/** `team:<name>` of each team the user may put projects in: developer or higher, as the API requires. */
export function teamOwners(teams: { name: string; role: Role }[]): string[] {
  return teams.filter((team) => roleAtLeast(team.role, 'developer')).map((team) => `team:${team.name}`);
}
