import { z } from 'zod';

export const listAuditInput = z
  .object({
    project: z.string().optional(),
    team: z.string().optional(),
    action: z.string().max(100).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: z.string().optional(),
  })
  .default({ limit: 50 });

export const auditEventView = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetName: z.string().nullable(),
  details: z.unknown(),
  createdAt: z.date(),
});
