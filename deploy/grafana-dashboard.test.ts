import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerJobStates } from '@/server/metrics/job-states';
import { riseMetrics } from '@/server/metrics/registry';

type Panel = {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string }[];
};

const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, 'grafana-dashboard.json'), 'utf8')) as {
  title: string;
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
};

/** Series names a metric exports: a histogram's `_bucket`, `_sum` and `_count`, else its name. */
function exportedSeries() {
  registerJobStates();
  const names = new Set<string>();
  for (const metric of riseMetrics().registry.getMetricsAsArray()) {
    if (metric instanceof Histogram)
      for (const part of ['_bucket', '_sum', '_count']) names.add(metric.name + part);
    else names.add(metric.name);
  }
  return names;
}

const queried = (panels: Panel[]) =>
  panels
    .flatMap((panel) => panel.targets ?? [])
    .flatMap((target) => target.expr.match(/\brise_[a-z0-9_]+/g) ?? []);

describe('deploy/grafana-dashboard.json', () => {
  const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');

  it('is a dashboard whose panels query a Prometheus data source chosen on import', () => {
    expect(dashboard.title).toBe('Rise');
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource' }),
    );
    expect(graphs.length).toBeGreaterThan(15);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of graphs) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it('queries only series Rise exports', () => {
    const exported = exportedSeries();
    const unknown = queried(graphs).filter((name) => !exported.has(name));
    expect(unknown).toEqual([]);
  });

  it("shows every one of Rise's own metrics", () => {
    registerJobStates();
    const own = riseMetrics()
      .registry.getMetricsAsArray()
      .map((metric) => metric.name)
      .filter((name) => !/^rise_(process|nodejs)_/.test(name));
    const shown = new Set(queried(graphs).map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    expect(own.filter((name) => !shown.has(name))).toEqual([]);
  });
});
