import type { MetricResult } from './types';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

const verdict = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : '**no**');

/** The Markdown table `npm run bench` writes: metric, now, goal, met? */
export function resultsTable(results: MetricResult[], header: { date: string; loadAverage: string }): string {
  const lines = [
    `Measured ${header.date}; load average at the end ${header.loadAverage}.`,
    '',
    '| metric | now | goal | met? |',
    '|---|---|---|---|',
    ...results.map(
      (result) =>
        `| ${cell(result.metric)} | ${cell(result.now)} | ${cell(result.goal)} | ${verdict(result.met)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
