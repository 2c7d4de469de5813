'use client';

import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { CI_PROVIDERS, type CiProvider, type SnippetTarget, snippetFor } from './ci-snippets';
import { CopyButton } from './copy-button';

/**
 * The CI configuration that deploys as one service account, as tabs (GitHub Actions, GitLab CI), each
 * with its file name and a copy button. Arrow keys move between the tabs.
 */
export function CiSnippetTabs({
  account,
  target,
  initialProvider,
}: {
  /** The service account's name, to tell its snippets from another account's. */
  account: string;
  target: SnippetTarget;
  initialProvider: CiProvider;
}) {
  const id = useId();
  const [current, setCurrent] = useState<CiProvider>(initialProvider);
  const code = useRef<HTMLPreElement>(null);
  const tabs = useRef<Partial<Record<CiProvider, HTMLButtonElement | null>>>({});
  const provider = CI_PROVIDERS.find((p) => p.id === current) ?? CI_PROVIDERS[0];
  const text = snippetFor(current, target);

  function moveWithArrows(event: KeyboardEvent) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const index = CI_PROVIDERS.findIndex((p) => p.id === current);
    const step = event.key === 'ArrowRight' ? 1 : -1;
    const next = CI_PROVIDERS[(index + step + CI_PROVIDERS.length) % CI_PROVIDERS.length];
    if (!next) return;
    setCurrent(next.id);
    tabs.current[next.id]?.focus();
  }

  return (
    <div className="flex min-w-0 flex-col gap-2">
      <div
        role="tablist"
        aria-label={`CI setup for ${account}`}
        className="flex gap-1 border-b border-zinc-200 text-xs dark:border-zinc-800"
      >
        {CI_PROVIDERS.map((p) => (
          <button
            key={p.id}
            ref={(element) => {
              tabs.current[p.id] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-${p.id}`}
            aria-selected={p.id === current}
            aria-controls={`${id}-panel`}
            tabIndex={p.id === current ? 0 : -1}
            onClick={() => setCurrent(p.id)}
            onKeyDown={moveWithArrows}
            className={`-mb-px rounded-t-md border-b-2 px-3 py-1.5 whitespace-nowrap focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${
              p.id === current
                ? 'border-indigo-600 font-medium dark:border-indigo-400'
                : 'border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
            }`}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={`${id}-${current}`}
        className="flex flex-col gap-2"
      >
        <div className="flex flex-wrap items-center justify-between gap-2">
          <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{provider.file}</span>
          <CopyButton
            text={text}
            label={`${provider.label} snippet for ${account}`}
            source={() => code.current}
          />
        </div>
        <pre
          ref={code}
          data-testid={`ci-snippet-${account}`}
          className="max-w-full overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs dark:bg-zinc-800"
        >
          {text}
        </pre>
      </div>
    </div>
  );
}
