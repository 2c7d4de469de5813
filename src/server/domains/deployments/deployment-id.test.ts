import { describe, expect, it } from 'vitest';
import { newDeploymentId } from './deployment-id';

describe('newDeploymentId', () => {
  it('reads as the UTC minute plus a short random suffix', () => {
    expect(newDeploymentId(new Date('2026-11-22T01:32:45Z'))).toMatch(/^20261122-0132-[a-z2-9]{4}$/);
  });

  it('sorts in creation order across minutes', () => {
    const earlier = newDeploymentId(new Date('2026-11-22T09:59:00Z'));
    const later = newDeploymentId(new Date('2026-11-22T10:00:00Z'));
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });
});
