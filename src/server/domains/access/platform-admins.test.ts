import { describe, expect, it } from 'vitest';
import { withConfiguredAdmins } from './platform-admins';

describe('withConfiguredAdmins', () => {
  const user = { email: 'Ops@Example.com', isPlatformAdmin: false };

  it('promotes a listed email, case-insensitively', () => {
    expect(withConfiguredAdmins(user, ['ops@example.com']).isPlatformAdmin).toBe(true);
  });

  it('leaves others as stored', () => {
    expect(withConfiguredAdmins(user, ['root@example.com'])).toBe(user);
    const admin = { email: 'a@b.c', isPlatformAdmin: true };
    expect(withConfiguredAdmins(admin, [])).toBe(admin);
  });
});
