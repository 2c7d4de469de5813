import { describe, expect, it } from 'vitest';
import { touchesWatchPaths } from './watch-paths';

describe('touchesWatchPaths', () => {
  it('without watch paths, every push deploys', () => {
    expect(touchesWatchPaths(['README.md'], [])).toBe(true);
    expect(touchesWatchPaths([], [])).toBe(true);
  });

  it('matches globs relative to the repository root', () => {
    const globs = ['web/**', 'package.json'];
    expect(touchesWatchPaths(['web/src/app.ts'], globs)).toBe(true);
    expect(touchesWatchPaths(['package.json'], globs)).toBe(true);
    expect(touchesWatchPaths(['docs/README.md', 'api/package.json'], globs)).toBe(false);
    expect(touchesWatchPaths([], globs)).toBe(false);
  });

  it('takes ./-prefixed globs', () => {
    expect(touchesWatchPaths(['web/index.html'], ['./web/**'])).toBe(true);
    expect(touchesWatchPaths(['web/index.html'], ['/web/**'])).toBe(true);
  });

  it('wildcards skip dotfiles (as in a shell); a glob naming the dot matches them', () => {
    expect(touchesWatchPaths(['web/.env.example'], ['web/**'])).toBe(false);
    expect(touchesWatchPaths(['web/.env.example'], ['web/.env*'])).toBe(true);
    expect(touchesWatchPaths(['services/api/.dockerignore'], ['**/.dockerignore'])).toBe(true);
  });

  it('brace and extension globs', () => {
    const globs = ['src/**/*.{ts,tsx}'];
    expect(touchesWatchPaths(['src/components/button.tsx'], globs)).toBe(true);
    expect(touchesWatchPaths(['src/styles/site.css'], globs)).toBe(false);
  });

  it('deploys when the forge did not say which files changed', () => {
    expect(touchesWatchPaths(null, ['web/**'])).toBe(true);
  });
});
