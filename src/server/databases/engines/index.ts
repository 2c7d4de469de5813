import type { DatabaseEngine } from '@/server/databases/types';
import type { EngineAdapter } from './engine-adapter';
import { mariadbAdapter } from './mariadb';
import { postgresAdapter } from './postgres';
import { redisAdapter } from './redis';

export { ENGINE_PORTS } from '@/shared/databases/engines';
export type { DumpPlan, EngineAdapter, ExecCommand, RestorePlan } from './engine-adapter';

const ADAPTERS: Record<DatabaseEngine, EngineAdapter> = {
  postgres: postgresAdapter,
  mariadb: mariadbAdapter,
  redis: redisAdapter,
};

export function engineAdapter(engine: DatabaseEngine): EngineAdapter {
  return ADAPTERS[engine];
}
