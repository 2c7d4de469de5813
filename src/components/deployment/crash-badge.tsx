import { crashState, crashSummary, type DeploymentCrashes } from '@/shared/deployments/crashes';

const tones = {
  'crash-looping': 'border-red-600 text-red-800 dark:border-red-400 dark:text-red-300',
  restarting: 'border-amber-600 text-amber-800 dark:border-amber-400 dark:text-amber-300',
};

/**
 * A deployment's crashes since its app last ran stable: a `crash-looping` (or `restarted N×`) badge
 * whose details show the last exit code and the last log lines; nothing when there are none.
 */
export function CrashBadge({ id, crashes }: { id: string; crashes: DeploymentCrashes | null }) {
  const state = crashState(crashes);
  if (!crashes || !state) return null;
  const label = state === 'crash-looping' ? 'crash-looping' : `restarted ${crashes.restarts}×`;
  return (
    <details data-testid={`crashes-${id}`} className="text-xs">
      <summary
        className={`inline-block cursor-pointer rounded-full border px-2 py-0.5 font-medium ${tones[state]}`}
      >
        {label}
      </summary>
      <div className="mt-1 flex flex-col gap-1">
        <p>{crashSummary(crashes)}</p>
        {crashes.lastLogLines.length > 0 && (
          <pre className="max-h-48 overflow-auto rounded bg-zinc-100 p-2 font-mono whitespace-pre-wrap dark:bg-zinc-900">
            {crashes.lastLogLines.join('\n')}
          </pre>
        )}
      </div>
    </details>
  );
}
