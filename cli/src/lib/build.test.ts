import { describe, expect, it } from 'vitest';
import { pushSummary } from './build';

describe('pushSummary', () => {
  it('counts uploaded layers and those the registry had, once per layer', () => {
    const output = [
      'The push refers to repository [127.0.0.1:5000/app]',
      '5f70bf18a086: Preparing',
      'a3ed95caeb02: Preparing',
      'c1d2e3f4a5b6: Preparing',
      'a3ed95caeb02: Layer already exists',
      'c1d2e3f4a5b6: Mounted from other',
      '5f70bf18a086: Pushing [=====>   ]  1.2MB/3MB',
      '5f70bf18a086: Pushed',
      'latest: digest: sha256:abc size: 945',
    ].join('\n');
    expect(pushSummary('127.0.0.1:5000/app:latest', output, 'sha256:abc')).toBe(
      'Pushed 127.0.0.1:5000/app:latest: 1 layer uploaded, 2 layers already in the registry (sha256:abc)',
    );
  });
});
