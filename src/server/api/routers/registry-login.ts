import { z } from 'zod';
import {
  listRegistryLogins,
  removeRegistryLogin,
  setRegistryLogin,
} from '@/server/domains/registry-logins/registry-login.service';
import {
  registryLoginView,
  registryPassword,
  registryUsername,
} from '@/shared/registry/registry-login.schema';
import { registryLoginHost } from '@/shared/registry/registry-login-host.schema';
import { createTRPCRouter, projectProcedure } from '../trpc';

/** A project's logins to external image registries; passwords go in and never come back out. */
export const registryLoginRouter = createTRPCRouter({
  list: projectProcedure('project:read')
    .output(z.array(registryLoginView))
    .query(({ ctx }) => listRegistryLogins(ctx.project)),
  /** Secrets of the project, like secret env vars: the same permission changes them. */
  set: projectProcedure('project:env')
    .input(z.object({ host: registryLoginHost, username: registryUsername, password: registryPassword }))
    .output(z.array(registryLoginView))
    .mutation(({ ctx, input }) =>
      setRegistryLogin(ctx.caller, ctx.project, {
        host: input.host,
        username: input.username,
        password: input.password,
      }),
    ),
  remove: projectProcedure('project:env')
    .input(z.object({ host: registryLoginHost }))
    .output(z.array(registryLoginView))
    .mutation(({ ctx, input }) => removeRegistryLogin(ctx.caller, ctx.project, input.host)),
});
