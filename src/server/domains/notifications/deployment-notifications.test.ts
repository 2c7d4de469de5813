import { describe, expect, it } from 'vitest';
import { deploymentEventKind } from './deployment-notifications';

describe('deploymentEventKind', () => {
  it('maps status changes to events, previews apart', () => {
    expect(deploymentEventKind('building', 'default')).toBe('deployment.started');
    expect(deploymentEventKind('deploying', 'default')).toBe('deployment.started');
    expect(deploymentEventKind('healthy', 'default')).toBe('deployment.succeeded');
    expect(deploymentEventKind('healthy', 'mr/26')).toBe('preview.created');
    expect(deploymentEventKind('failed', 'mr/26')).toBe('deployment.failed');
    expect(deploymentEventKind('cancelled', 'default')).toBe('deployment.cancelled');
    expect(deploymentEventKind('expired', 'mr/26')).toBe('preview.expired');
    expect(deploymentEventKind('superseded', 'default')).toBeNull();
    expect(deploymentEventKind('pushed', 'default')).toBeNull();
  });
});
