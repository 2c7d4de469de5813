import { createHash } from 'node:crypto';

/** Invitation links stay valid this long. */
export const INVITATION_TTL_DAYS = 7;

export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const invitationLink = (riseUrl: string, token: string) =>
  `${new URL('/signin', riseUrl).toString()}?${new URLSearchParams({ invite: token })}`;

export const SIGNUP_BY_INVITATION =
  'Sign-up is by invitation: ask an admin of this Rise for an invitation link (Admin page, or a team admin on the team page).';

/**
 * Whether a local sign-up may proceed: the first account always may (it becomes the admin); after
 * that only with an invitation, unless the policy is `open`.
 */
export function signUpAllowed(input: {
  policy: 'invite' | 'open';
  existingUsers: number;
  invited: boolean;
}): boolean {
  return input.existingUsers === 0 || input.invited || input.policy === 'open';
}
