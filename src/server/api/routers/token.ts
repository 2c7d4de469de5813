import { z } from 'zod';
import { createTokenInput, tokenSummary } from '@/server/domains/tokens/token.schema';
import { issueToken, listTokens, revokeToken } from '@/server/domains/tokens/token.service';
import { createTRPCRouter, userProcedure } from '../trpc';

export const tokenRouter = createTRPCRouter({
  create: userProcedure
    .input(createTokenInput)
    .output(z.object({ token: z.string(), summary: tokenSummary }))
    .mutation(({ ctx, input }) => issueToken(ctx.caller, { userId: ctx.caller.user.id, ...input })),
  list: userProcedure.output(z.array(tokenSummary)).query(({ ctx }) => listTokens(ctx.caller)),
  revoke: userProcedure
    .input(z.object({ id: z.string().min(1) }))
    .output(tokenSummary)
    .mutation(({ ctx, input }) => revokeToken(ctx.caller, input.id)),
});
