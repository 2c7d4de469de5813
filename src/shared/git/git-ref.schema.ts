import { z } from 'zod';

/** A branch or tag of a project's repository, as `gitSource.refs` lists it for the deploy picker. */
export const gitRefView = z.object({
  name: z.string(),
  sha: z.string(),
  kind: z.enum(['branch', 'tag']),
});
export type GitRefView = z.infer<typeof gitRefView>;

/** A branch, tag or full commit sha to build (`rise d c --git --ref`, the dashboard's commit field). */
export const gitRefName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._/-]+$/, { message: 'a git ref is letters, digits, ., _, / and -' })
  .refine((ref) => !ref.startsWith('-') && !ref.includes('..'), { message: 'not a valid git ref' });
