import type { DatabaseEngine } from '@/server/databases/types';
import type { EngineAdapter } from './engine-adapter';
import { mariadbAdapter } from './mariadb';
import { postgresAdapter } from './postgres';
import { redisAdapter } from './redis';

export type { DumpPlan, EngineAdapter, ExecCommand, RestorePlan } from './engine-adapter';

const ADAPTERS: Record<DatabaseEngine, EngineAdapter> = {
  postgres: postgresAdapter,
  mariadb: mariadbAdapter,
  redis: redisAdapter,
};

/** The port each engine listens on inside its container (never published on the host). */
export const ENGINE_PORTS: Record<DatabaseEngine, number> = {
  postgres: postgresAdapter.port,
  mariadb: mariadbAdapter.port,
  redis: redisAdapter.port,
};

export function engineAdapter(engine: DatabaseEngine): EngineAdapter {
  return ADAPTERS[engine];
}
