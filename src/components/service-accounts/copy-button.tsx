'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { copyText } from '@/components/ui/copy-text';

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
        copyText(text, source()).then(
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
