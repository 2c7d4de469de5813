import { createHash } from 'node:crypto';

/** Invitation links stay valid this long. */
export const INVITATION_TTL_DAYS = 7;

export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const invitationLink = (riseUrl: string, token: string) =>
  `${new URL('/signin', riseUrl).toString()}?${new URLSearchParams({ invite: token })}`;

export const SIGNUP_BY_INVITATION =
  'Sign-up is by invitation: ask an admin of this Rise for an invitation link (Admin page, or a team admin on the team page).';

export const SIGNUP_WAITS_FOR_ADMIN =
  'This Rise is waiting for its administrator: the first account must use an email listed in RISE_ADMIN_EMAILS.';

/**
 * Whether a local sign-up may proceed: the first account may without an invitation (it becomes the
 * admin), but when RISE_ADMIN_EMAILS names the admins only one of them, so nobody who finds a fresh
 * installation first can claim it; after that only with an invitation, unless the policy is `open`.
 */
export function signUpAllowed(input: {
  policy: 'invite' | 'open';
  existingUsers: number;
  invited: boolean;
  email: string;
  adminEmails: readonly string[];
}): boolean {
  const listed = input.adminEmails.some((email) => email.toLowerCase() === input.email.toLowerCase());
  const bootstrap = input.existingUsers === 0 && (input.adminEmails.length === 0 || listed);
  return bootstrap || input.invited || input.policy === 'open';
}

/** Why a sign-up that `signUpAllowed` refused was refused. */
export function signUpRefusal(input: { existingUsers: number }): string {
  return input.existingUsers === 0 ? SIGNUP_WAITS_FOR_ADMIN : SIGNUP_BY_INVITATION;
}
