'use client';

import { useEffect, useState } from 'react';
import { formatRemaining } from '@/shared/deployment-groups';

/**
 * "expires in 6d 23h", counting down every second, with the exact UTC time on hover; "expired" once
 * it has passed. Before hydration it shows the UTC time (the server's clock is not the browser's).
 */
export function ExpiryCountdown({ expiresAt, testId }: { expiresAt: Date; testId?: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const iso = expiresAt.toISOString();
  const remaining = now === null ? null : formatRemaining(expiresAt.getTime() - now);
  return (
    <time dateTime={iso} title={`Expires ${iso}`} data-testid={testId}>
      {remaining === null
        ? `expires ${iso.slice(0, 16).replace('T', ' ')}`
        : remaining === 'expired'
          ? 'expired'
          : `expires in ${remaining}`}
    </time>
  );
}
