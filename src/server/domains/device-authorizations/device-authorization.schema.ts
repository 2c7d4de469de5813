import { z } from 'zod';

// RFC 8628 §6.1: consonants only, so codes spell no words and survive being read aloud.
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const userCode = z
  .string()
  .trim()
  .toUpperCase()
  .transform((value) => value.replace(/[^A-Z]/g, ''))
  .pipe(z.string().regex(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/, { message: 'Codes look like WDJB-MJHT.' }))
  .transform((value) => `${value.slice(0, 4)}-${value.slice(4)}`);

export const startDeviceAuthorizationInput = z.object({
  clientName: z.string().trim().min(1).max(100).default('rise CLI'),
});

export const deviceAuthorizationStart = z.object({
  deviceCode: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string(),
  expiresIn: z.number(),
  interval: z.number(),
});

export const pollDeviceAuthorizationInput = z.object({ deviceCode: z.string().min(16).max(200) });

export const devicePollResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), interval: z.number() }),
  z.object({ status: z.literal('slow_down'), interval: z.number() }),
  z.object({ status: z.literal('denied') }),
  z.object({ status: z.literal('expired') }),
  z.object({
    status: z.literal('approved'),
    token: z.string(),
    user: z.object({ username: z.string(), name: z.string().nullable(), email: z.string() }),
  }),
]);

export const deviceAuthorizationView = z.object({
  userCode: z.string(),
  clientName: z.string(),
  status: z.enum(['pending', 'approved', 'denied', 'consumed', 'expired']),
  createdAt: z.date(),
  expiresAt: z.date(),
});
