import { env } from '@/env';
import type { CallerUser } from './caller';

/** RISE_ADMIN_EMAILS is authoritative at every request, so adding an email there needs no re-sign-up. */
export function withConfiguredAdmins<U extends Pick<CallerUser, 'email' | 'isPlatformAdmin'>>(
  user: U,
  adminEmails = env.RISE_ADMIN_EMAILS,
): U {
  const listed = adminEmails.some((email) => email.toLowerCase() === user.email.toLowerCase());
  return listed && !user.isPlatformAdmin ? { ...user, isPlatformAdmin: true } : user;
}
