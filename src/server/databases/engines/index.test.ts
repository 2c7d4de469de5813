import { describe, expect, it } from 'vitest';
import { ENGINE_PORTS, engineAdapter } from './index';

describe('engineAdapter', () => {
  it('has an adapter per engine, listening on the standard ports', () => {
    expect(ENGINE_PORTS).toEqual({ postgres: 5432, mariadb: 3306, redis: 6379 });
    for (const engine of ['postgres', 'mariadb', 'redis'] as const) {
      expect(engineAdapter(engine).engine).toBe(engine);
      expect(engineAdapter(engine).port).toBe(ENGINE_PORTS[engine]);
    }
  });
});
