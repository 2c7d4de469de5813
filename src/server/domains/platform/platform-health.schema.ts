import { z } from 'zod';

export const healthComponent = z.enum(['database', 'runtime', 'registry', 'proxy']);

export const componentHealth = z.object({
  component: healthComponent,
  ok: z.boolean(),
  /** What the probe saw, e.g. "3 instances", or why it failed. */
  detail: z.string(),
  latencyMs: z.number(),
});

export type HealthComponent = z.infer<typeof healthComponent>;
export type ComponentHealth = z.infer<typeof componentHealth>;
/** A probe answers a short description of what it saw, or throws. */
export type HealthProbe = () => Promise<string>;
