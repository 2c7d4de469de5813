/** A text link; add font, truncation and the like where it is used. */
export const linkClass =
  'rounded text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:text-indigo-300';
