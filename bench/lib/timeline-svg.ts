import type { DeployTimeline } from './types';

/** The phases of a deployment, in order: each runs from its mark to the next present one. */
export const PHASES = [
  { key: 'queued', label: 'queued', color: '#9ca3af' },
  { key: 'pickedUp', label: 'picked up', color: '#60a5fa' },
  { key: 'containerStarted', label: 'container started', color: '#f59e0b' },
  { key: 'healthy', label: 'healthy', color: '#10b981' },
  { key: 'trafficSwitched', label: 'traffic switched', color: '#8b5cf6' },
  { key: 'oldStopped', label: 'old stopped', color: '#111827' },
] as const;

type Mark = (typeof PHASES)[number]['key'];

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const ROW = 22;
const ANSWERED_COLOR = '#dc2626';
const LEFT = 170;
const WIDTH = 760;
const TOP = 30;

/**
 * A horizontal bar per deployment, time 0 = queued: one coloured segment per phase (queued → picked
 * up → container started → healthy → traffic switched → old stopped), a legend and a seconds axis.
 */
export function timelineSvg(timelines: DeployTimeline[], title = 'Deploy timeline'): string {
  const durations = timelines.map((timeline) => {
    const marks = PHASES.map((phase) => timeline[phase.key as Mark]).filter(
      (value): value is number => value !== undefined,
    );
    return Math.max(...marks, timeline.answered ?? 0) - timeline.queued;
  });
  const longest = Math.max(1000, ...durations);
  const step = longest <= 2000 ? 250 : longest <= 5000 ? 500 : longest <= 12_000 ? 1000 : 5000;
  const span = Math.ceil(longest / step) * step;
  const scale = (ms: number) => LEFT + (ms / span) * (WIDTH - LEFT - 20);
  const height = TOP + timelines.length * ROW + 96;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  const axisY = TOP + timelines.length * ROW + 4;
  for (let tick = 0; tick <= span; tick += step) {
    const x = scale(tick).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${axisY}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${axisY + 12}" text-anchor="middle">${(tick / 1000).toString()} s</text>`,
    );
  }
  timelines.forEach((timeline, row) => {
    const y = TOP + row * ROW;
    parts.push(`<text x="10" y="${y + 14}">${escapeXml(timeline.label)}</text>`);
    const present = PHASES.filter((phase) => timeline[phase.key as Mark] !== undefined);
    present.forEach((phase, index) => {
      const start = (timeline[phase.key as Mark] as number) - timeline.queued;
      const next = present[index + 1];
      if (!next) return;
      const end = (timeline[next.key as Mark] as number) - timeline.queued;
      const x = scale(start);
      const width = Math.max(1, scale(end) - x);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW - 6}" fill="${phase.color}"><title>${escapeXml(`${phase.label} → ${next.label}: ${end - start} ms`)}</title></rect>`,
      );
    });
    if (timeline.answered !== undefined) {
      const x = scale(timeline.answered - timeline.queued).toFixed(1);
      parts.push(
        `<line x1="${x}" y1="${y}" x2="${x}" y2="${y + ROW}" stroke="${ANSWERED_COLOR}" stroke-width="2"><title>${escapeXml(`new version answers: ${timeline.answered - timeline.queued} ms`)}</title></line>`,
      );
    }
  });
  const legendY = axisY + 34;
  PHASES.slice(0, -1).forEach((phase, index) => {
    const x = 10 + (index % 3) * 250;
    const y = legendY + Math.floor(index / 3) * 16;
    const next = PHASES[index + 1] as (typeof PHASES)[number];
    parts.push(
      `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${phase.color}"/>`,
      `<text x="${x + 14}" y="${y}">${escapeXml(`${phase.label} → ${next.label}`)}</text>`,
    );
  });
  const answeredY = legendY + 32;
  parts.push(
    `<line x1="15" y1="${answeredY - 10}" x2="15" y2="${answeredY + 1}" stroke="${ANSWERED_COLOR}" stroke-width="2"/>`,
    `<text x="24" y="${answeredY}">a client first gets the new version at the app's URL</text>`,
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
