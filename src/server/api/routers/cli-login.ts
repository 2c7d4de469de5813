import { z } from 'zod';
import {
  deviceAuthorizationStart,
  deviceAuthorizationView,
  devicePollResult,
  pollDeviceAuthorizationInput,
  startDeviceAuthorizationInput,
  userCode,
} from '@/server/domains/device-authorizations/device-authorization.schema';
import {
  decideDeviceAuthorization,
  pollDeviceAuthorization,
  startDeviceAuthorization,
  viewDeviceAuthorization,
} from '@/server/domains/device-authorizations/device-authorization.service';
import { createTRPCRouter, publicProcedure, userProcedure } from '../trpc';

/** The device-authorization flow behind `rise login`. */
export const cliLoginRouter = createTRPCRouter({
  start: publicProcedure
    .input(startDeviceAuthorizationInput)
    .output(deviceAuthorizationStart)
    .mutation(({ ctx, input }) => startDeviceAuthorization(input, ctx)),
  poll: publicProcedure
    .input(pollDeviceAuthorizationInput)
    .output(devicePollResult)
    .mutation(({ ctx, input }) => pollDeviceAuthorization(input.deviceCode, ctx)),
  get: userProcedure
    .input(z.object({ userCode }))
    .output(deviceAuthorizationView)
    .query(({ input }) => viewDeviceAuthorization(input.userCode)),
  approve: userProcedure
    .input(z.object({ userCode }))
    .output(deviceAuthorizationView)
    .mutation(({ ctx, input }) => decideDeviceAuthorization(ctx.caller, input.userCode, true)),
  deny: userProcedure
    .input(z.object({ userCode }))
    .output(deviceAuthorizationView)
    .mutation(({ ctx, input }) => decideDeviceAuthorization(ctx.caller, input.userCode, false)),
});
