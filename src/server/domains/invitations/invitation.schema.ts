import { z } from 'zod';
import { teamName, teamRole } from '../teams/team.schema';

export const invitationEmail = z
  .email({ message: 'Enter the email address of the person to invite.' })
  .max(320)
  .transform((value) => value.toLowerCase());

/** An invitation token as it appears in the link (`/signin?invite=<token>`). */
export const invitationToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{32,100}$/, { message: 'This invitation link is malformed; copy it again.' });

export const createInvitationInput = z.object({
  email: invitationEmail,
  // Platform admins may invite into any team; without one the invitee joins no team.
  team: teamName.optional(),
  role: teamRole.optional(),
});

export const createTeamInvitationInput = z.object({
  email: invitationEmail,
  role: teamRole.default('developer'),
});

export const invitationId = z.object({ id: z.string().min(1).max(100) });

export const invitationView = z.object({
  id: z.string(),
  email: z.string(),
  team: z.string().nullable(),
  role: teamRole.nullable(),
  invitedBy: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
});

/** The link is shown once, at creation: only its hash is stored. */
export const createdInvitation = invitationView.extend({ link: z.string() });

export const revokedInvitation = z.object({ id: z.string(), revoked: z.literal(true) });
