import { describe, expect, it } from 'vitest';
import { resultsTable } from './results-table';
import { summarize } from './stats';
import { timelineSvg } from './timeline-svg';
import type { DeployTimeline } from './types';

describe('resultsTable', () => {
  it('writes one row per metric with its verdict, escaping the cells', () => {
    const table = resultsTable(
      [
        { metric: 'job pickup', now: 'median 40 ms', goal: '≤ 100 ms', met: true },
        { metric: 'failed POSTs | keep-alive', now: '3 of 100\n(slot b: 3)', goal: '0', met: false },
        { metric: 'Caddy idle CPU', now: '0.5 %', goal: '—', met: null },
      ],
      { date: '2026-12-02 06:00 UTC', loadAverage: '1.00 2.00 3.00' },
    );
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('Measured 2026-12-02 06:00 UTC; load average at the end 1.00 2.00 3.00.');
    expect(lines.slice(2)).toEqual([
      '| metric | now | goal | met? |',
      '|---|---|---|---|',
      '| job pickup | median 40 ms | ≤ 100 ms | yes |',
      '| failed POSTs \\| keep-alive | 3 of 100 (slot b: 3) | 0 | **no** |',
      '| Caddy idle CPU | 0.5 % | — | — |',
    ]);
  });
});

describe('summarize', () => {
  it('gives min, nearest-rank median and p95, max', () => {
    const samples = Array.from({ length: 20 }, (_, index) => 20 - index);
    expect(summarize(samples)).toEqual({ n: 20, min: 1, median: 10, p95: 19, max: 20 });
    expect(summarize([7])).toEqual({ n: 1, min: 7, median: 7, p95: 7, max: 7 });
    expect(() => summarize([])).toThrow('no samples');
  });
});

describe('timelineSvg', () => {
  const widths = (svg: string) =>
    [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16" fill="(#\w+)">/g)].map(
      (match) => ({ width: Number(match[1]), color: match[2] }),
    );

  it('draws one segment per phase, as long as the phase took', () => {
    const timeline: DeployTimeline = {
      label: 'redeploy 1 → slot b',
      queued: 10_000,
      pickedUp: 10_100,
      containerStarted: 10_300,
      healthy: 10_600,
      trafficSwitched: 10_700,
      oldStopped: 11_700,
      answered: 10_650,
    };
    const svg = timelineSvg([timeline]);
    const segments = widths(svg);
    expect(segments.map((segment) => segment.color)).toEqual([
      '#9ca3af',
      '#60a5fa',
      '#f59e0b',
      '#10b981',
      '#8b5cf6',
    ]);
    const unit = (segments[0]?.width ?? 0) / 100;
    const lengths = segments.map((segment) => segment.width / unit);
    for (const [index, ms] of [100, 200, 300, 100, 1000].entries())
      expect(lengths[index]).toBeCloseTo(ms, -1);
    expect(svg).toContain('redeploy 1 → slot b');
    expect(svg).toContain('new version answers: 650 ms');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('joins the phases around a missing mark and escapes labels', () => {
    const svg = timelineSvg([{ label: 'a <b> & "c"', queued: 0, pickedUp: 50, healthy: 450 }]);
    expect(widths(svg)).toHaveLength(2);
    expect(svg).toContain('picked up → healthy: 400 ms');
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<b>');
  });
});
