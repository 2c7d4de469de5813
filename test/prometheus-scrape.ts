import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';

export type Scrape = {
  status: number;
  headers: Headers;
  text: string;
  /** The families as the parser reads them (names, types, help). */
  families: MetricFamily[];
  /**
   * Every series by its own name: a histogram's `_bucket`, `_sum` and `_count` apart, with their labels.
   * The parser folds a histogram's samples into one unlabelled entry (prom2json's shape for histograms
   * without labels), so labelled histograms are read with their HELP and TYPE lines left out.
   */
  series: MetricFamily[];
};

/** GETs a /metrics URL (with the bearer `token`, if any) and parses a 200's body as Prometheus text. */
export async function scrapeMetrics(url: string, token?: string): Promise<Scrape> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  if (response.status !== 200)
    return { status: response.status, headers: response.headers, text, families: [], series: [] };
  const families = parsePrometheusTextFormat(text);
  const folded = new Set(
    families
      .filter((family) => family.type === 'HISTOGRAM' || family.type === 'SUMMARY')
      .map((family) => family.name),
  );
  const unfolded = text
    .split('\n')
    .filter((line) => !/^# (HELP|TYPE) (\S+)/.test(line) || !folded.has(line.split(' ')[2] ?? ''))
    .join('\n');
  return {
    status: response.status,
    headers: response.headers,
    text,
    families,
    series: parsePrometheusTextFormat(unfolded),
  };
}

const sameLabels = (actual: Record<string, string> | undefined, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([key, value]) => actual?.[key] === value);

/**
 * The value of the series `name` (a counter, a gauge, a histogram's `x_count`), summed over those whose
 * labels include `labels`; 0 when there is none yet (prom-client exports a labelled series once it moved).
 */
export function sampleValue(scrape: Scrape, name: string, labels: Record<string, string> = {}) {
  // Series of one name come in runs (a histogram's label sets each have _bucket, _sum and _count lines),
  // and the parser starts a family at each run.
  let total = 0;
  for (const family of scrape.series.filter((candidate) => candidate.name === name))
    for (const metric of family.metrics)
      if ('value' in metric && sameLabels(metric.labels, labels)) total += Number(metric.value);
  return total;
}
