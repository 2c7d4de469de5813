import { distance } from 'fastest-levenshtein';

/** The closest candidate to `input` by edit distance, if it is close enough to be a likely typo. */
export function closestMatch(input: string, candidates: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of candidates) {
    const d = distance(input.toLowerCase(), name.toLowerCase());
    if (!best || d < best.distance) best = { name, distance: d };
  }
  if (!best) return null;
  const limit = Math.max(2, Math.floor(input.length / 3));
  return best.distance <= limit ? best.name : null;
}

export const didYouMean = (suggestion: string | null) => (suggestion ? ` Did you mean '${suggestion}'?` : '');
