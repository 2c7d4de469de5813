import { describe, expect, it } from 'vitest';
import { canOnProject, PROJECT_ACTIONS, ROLES } from './permissions';

describe('project:exec', () => {
  it('is an admin action by default: developers and viewers may not run commands in containers', () => {
    expect(PROJECT_ACTIONS['project:exec']).toBe('admin');
    expect(ROLES.filter((role) => canOnProject(role, 'project:exec'))).toEqual(['admin', 'owner']);
  });
});
