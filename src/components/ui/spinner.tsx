/** A small spinning ring beside a status text while work is under way (decorative: the text says what). */
export function Spinner() {
  return (
    <span
      aria-hidden
      className="inline-block size-3.5 shrink-0 animate-spin rounded-full border-2 border-current border-t-transparent align-[-2px] motion-reduce:animate-none"
    />
  );
}
