import { z } from 'zod';
import { authenticatedProcedure } from '../trpc';

const meOutput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    id: z.string(),
    username: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    isPlatformAdmin: z.boolean(),
    via: z.enum(['session', 'token']),
  }),
  z.object({
    kind: z.literal('service-account'),
    id: z.string(),
    name: z.string(),
    issuer: z.string(),
    subject: z.string().nullable(),
  }),
]);

export const me = authenticatedProcedure.output(meOutput).query(({ ctx }) => {
  const { caller } = ctx;
  if (caller.kind === 'user') return { kind: 'user' as const, ...caller.user, via: caller.via };
  return {
    kind: 'service-account' as const,
    id: caller.serviceAccount.id,
    name: caller.serviceAccount.name,
    issuer: caller.issuer,
    subject: caller.subject,
  };
});
