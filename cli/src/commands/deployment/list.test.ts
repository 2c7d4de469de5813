import { describe, expect, it } from 'vitest';
import { digestCell } from './list';

describe('rise d ls DIGEST cell', () => {
  const imageDigest = `sha256:${'4f'.repeat(32)}`;

  it('shows the short digest, marked when image retention removed the image', () => {
    expect(digestCell({ imageDigest })).toBe('4f4f4f4f4f4f');
    expect(digestCell({ imageDigest, imageRemoved: false })).toBe('4f4f4f4f4f4f');
    expect(digestCell({ imageDigest, imageRemoved: true })).toBe('4f4f4f4f4f4f (removed)');
    expect(digestCell({ imageDigest: null })).toBe('-');
  });
});
