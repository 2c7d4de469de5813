/** "DATABASE_URL, …" for a linked database (every key on hover), "not linked" otherwise. */
export function LinkedEnvKeys({ keys }: { keys: string[] }) {
  if (keys.length === 0) return <span className="text-xs text-zinc-500 dark:text-zinc-400">not linked</span>;
  const first = keys.find((key) => key.endsWith('_URL')) ?? keys[0];
  return (
    <span className="font-mono text-xs" title={keys.join(', ')}>
      {first}
      {keys.length > 1 && (
        <>
          , <span aria-hidden="true">…</span>
          <span className="sr-only">{keys.filter((key) => key !== first).join(', ')}</span>
        </>
      )}
    </span>
  );
}
