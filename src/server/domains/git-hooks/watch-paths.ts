import { matchesGlob } from 'node:path';

/**
 * Whether a push touching `changed` concerns a source watching `globs` (relative to the repository
 * root). No globs: every push does; an unknown list of changed paths (null): it does too, since a
 * missed deploy is worse than an extra one. Globs are Node's `path.matchesGlob` (minimatch): as in a
 * shell, `*` and `**` skip dotfiles, which a glob matches by naming the dot (`web/.env*`).
 */
export function touchesWatchPaths(changed: readonly string[] | null, globs: readonly string[]): boolean {
  if (globs.length === 0 || changed === null) return true;
  const patterns = globs.map((glob) => glob.replace(/^\.?\//, ''));
  return changed.some((path) => patterns.some((pattern) => matchesGlob(path, pattern)));
}
