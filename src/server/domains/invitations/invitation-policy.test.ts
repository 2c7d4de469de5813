import { describe, expect, it } from 'vitest';
import {
  hashInvitationToken,
  invitationLink,
  SIGNUP_BY_INVITATION,
  SIGNUP_WAITS_FOR_ADMIN,
  signUpAllowed,
  signUpRefusal,
} from './invitation-policy';

const anyone = { email: 'someone@example.com', adminEmails: [] };

describe('signUpAllowed', () => {
  it('lets the first account in, whatever the policy', () => {
    expect(signUpAllowed({ policy: 'invite', existingUsers: 0, invited: false, ...anyone })).toBe(true);
  });

  it('after the first account, needs an invitation unless sign-up is open', () => {
    expect(signUpAllowed({ policy: 'invite', existingUsers: 1, invited: false, ...anyone })).toBe(false);
    expect(signUpAllowed({ policy: 'invite', existingUsers: 1, invited: true, ...anyone })).toBe(true);
    expect(signUpAllowed({ policy: 'open', existingUsers: 5, invited: false, ...anyone })).toBe(true);
  });

  it('with RISE_ADMIN_EMAILS, keeps the first account for a listed admin', () => {
    const adminEmails = ['admin@example.com'];
    const first = { policy: 'invite' as const, existingUsers: 0, invited: false, adminEmails };
    expect(signUpAllowed({ ...first, email: 'someone@example.com' })).toBe(false);
    expect(signUpAllowed({ ...first, email: 'Admin@Example.com' })).toBe(true);
    expect(signUpRefusal({ existingUsers: 0 })).toBe(SIGNUP_WAITS_FOR_ADMIN);
    expect(signUpRefusal({ existingUsers: 3 })).toBe(SIGNUP_BY_INVITATION);
  });
});

describe('invitation links', () => {
  it('point at the sign-in page of RISE_URL with the token', () => {
    expect(invitationLink('https://rise.example.com', 'abc_DEF-123')).toBe(
      'https://rise.example.com/signin?invite=abc_DEF-123',
    );
  });

  it('are stored as a hash only', () => {
    expect(hashInvitationToken('token')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashInvitationToken('token')).not.toBe(hashInvitationToken('token2'));
  });
});
