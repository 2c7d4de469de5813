import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean } from './suggest';

describe('closestMatch', () => {
  it('suggests the nearest name within the typo budget', () => {
    expect(closestMatch('devopsy', ['platform', 'devops', 'design'])).toBe('devops');
    expect(closestMatch('Devops', ['devops'])).toBe('devops');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(closestMatch('marketing', ['devops', 'platform'])).toBeNull();
    expect(closestMatch('devops', [])).toBeNull();
  });

  it('formats the hint only when there is a suggestion', () => {
    expect(didYouMean('devops')).toBe(" Did you mean 'devops'?");
    expect(didYouMean(null)).toBe('');
  });
});
