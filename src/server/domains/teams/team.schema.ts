import { z } from 'zod';

export const teamName = z.string().regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, {
  message:
    'Team names are 2-40 characters of lowercase letters, digits and hyphens, start with a letter and do not end with a hyphen.',
});
export const teamRole = z.enum(['owner', 'admin', 'developer', 'viewer']);
/** A user by username or email; `user:` prefix accepted as the CLI writes it. */
export const userHandle = z
  .string()
  .min(1)
  .max(320)
  .transform((value) => value.replace(/^user:/, ''));

export const teamMember = z.object({
  username: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: teamRole,
  joinedAt: z.date(),
});

export const teamSummary = z.object({
  name: z.string(),
  displayName: z.string().nullable(),
  role: teamRole,
  memberCount: z.number(),
  projectCount: z.number(),
  createdAt: z.date(),
});

export const teamDetail = z.object({
  name: z.string(),
  displayName: z.string().nullable(),
  role: teamRole,
  members: z.array(teamMember),
  createdAt: z.date(),
});
