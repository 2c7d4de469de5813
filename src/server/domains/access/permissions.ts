import type { TeamRole } from '@/generated/prisma/enums';

/** Roles from least to most powerful; a role may do everything the roles before it may. */
export const ROLES = ['viewer', 'developer', 'admin', 'owner'] as const satisfies readonly TeamRole[];
export type Role = (typeof ROLES)[number];

export const roleAtLeast = (role: Role, minimum: Role) => ROLES.indexOf(role) >= ROLES.indexOf(minimum);

/** Actions on one project, and the least role that may perform each. */
export const PROJECT_ACTIONS = {
  'project:read': 'viewer',
  'project:deploy': 'developer',
  'project:env': 'developer',
  'project:rollback': 'developer',
  'project:stop': 'developer',
  'project:update': 'admin',
  'project:domains': 'admin',
  'project:service-accounts': 'admin',
  'project:databases': 'admin',
  'project:backup': 'developer',
  'project:restore': 'admin',
  // A shell in an app reads its secrets and can change its data: admins by default.
  'project:exec': 'admin',
  'project:delete': 'owner',
  'project:transfer': 'owner',
} as const satisfies Record<string, Role>;

/** Actions on one team, and the least role that may perform each. */
export const TEAM_ACTIONS = {
  'team:read': 'viewer',
  'team:update': 'admin',
  'team:members': 'admin',
  'team:delete': 'owner',
} as const satisfies Record<string, Role>;

export type ProjectAction = keyof typeof PROJECT_ACTIONS;
export type TeamAction = keyof typeof TEAM_ACTIONS;

// The API enforces these; the dashboard uses the same ones to hide what a role may not do.
export const canOnProject = (role: Role, action: ProjectAction) => roleAtLeast(role, PROJECT_ACTIONS[action]);
export const canOnTeam = (role: Role, action: TeamAction) => roleAtLeast(role, TEAM_ACTIONS[action]);

/**
 * What a procedure requires of its caller. `public`: anyone; `authenticated`: any user or service
 * account; `user`: a signed-in user (or API token); `platform-admin`: a platform admin; otherwise an
 * action on the project or team named in the input.
 */
export type Permission = 'public' | 'authenticated' | 'user' | 'platform-admin' | ProjectAction | TeamAction;

export const isProjectAction = (permission: Permission): permission is ProjectAction =>
  permission in PROJECT_ACTIONS;
export const isTeamAction = (permission: Permission): permission is TeamAction => permission in TEAM_ACTIONS;
