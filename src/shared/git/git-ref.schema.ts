import { z } from 'zod';

/** A branch or tag of a project's repository, as `gitSource.refs` lists it for the deploy picker. */
export const gitRefView = z.object({
  name: z.string(),
  sha: z.string(),
  kind: z.enum(['branch', 'tag']),
});
export type GitRefView = z.infer<typeof gitRefView>;
