import { describe, expect, it } from 'vitest';
import { hashInvitationToken, invitationLink, signUpAllowed } from './invitation-policy';

describe('signUpAllowed', () => {
  it('lets the first account in, whatever the policy', () => {
    expect(signUpAllowed({ policy: 'invite', existingUsers: 0, invited: false })).toBe(true);
  });

  it('after the first account, needs an invitation unless sign-up is open', () => {
    expect(signUpAllowed({ policy: 'invite', existingUsers: 1, invited: false })).toBe(false);
    expect(signUpAllowed({ policy: 'invite', existingUsers: 1, invited: true })).toBe(true);
    expect(signUpAllowed({ policy: 'open', existingUsers: 5, invited: false })).toBe(true);
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
