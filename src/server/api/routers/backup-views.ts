import { z } from 'zod';

export const restoreLogEntry = z.object({
  id: z.string(),
  level: z.string(),
  message: z.string(),
  at: z.date(),
  status: z.string(),
});

export const notificationView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  details: z.unknown(),
  createdAt: z.date(),
  deliveredAt: z.date().nullable(),
});
