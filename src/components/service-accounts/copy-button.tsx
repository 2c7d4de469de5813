'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Copies `text`, falling back to selecting `element` and the legacy copy command off secure origins. */
async function copy(text: string, element: HTMLElement | null) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  if (!element) throw new Error('Nothing to copy');
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  if (!document.execCommand('copy')) throw new Error('Copy is not available');
}

/** "Copy" for a block of text (`source`, selected instead when the clipboard is unavailable). */
export function CopyButton({
  text,
  label,
  source,
}: {
  text: string;
  /** What is copied, for screen readers: "Copy <label>". */
  label: string;
  source: () => HTMLElement | null;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <Button
      small
      aria-label={`Copy ${label}`}
      onClick={() =>
        copy(text, source()).then(
          () => setCopied('yes'),
          () => setCopied('failed'),
        )
      }
    >
      <span aria-live="polite">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select it and copy' : 'Copy'}
      </span>
    </Button>
  );
}
