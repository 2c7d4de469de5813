import {
  PROJECT_ACTIONS,
  type ProjectAction,
  type Role,
  roleAtLeast,
  TEAM_ACTIONS,
  type TeamAction,
} from '@/server/auth/permissions';

// The same table the API enforces: the dashboard hides what a role may not do, the API refuses it anyway.
export const canOnProject = (role: Role, action: ProjectAction) => roleAtLeast(role, PROJECT_ACTIONS[action]);
export const canOnTeam = (role: Role, action: TeamAction) => roleAtLeast(role, TEAM_ACTIONS[action]);
