'use client';

import { useEffect, useState } from 'react';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function relativeTime(date: Date, now = Date.now()) {
  const delta = date.getTime() - now;
  for (const [unit, ms] of units) {
    if (Math.abs(delta) >= ms || unit === 'second') return format.format(Math.round(delta / ms), unit);
  }
  return '';
}

/** "3 minutes ago", refreshed every 30 s, with the exact UTC time on hover. */
export function TimeAgo({ date }: { date: Date }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {now === null ? iso.slice(0, 16).replace('T', ' ') : relativeTime(date, now)}
    </time>
  );
}
