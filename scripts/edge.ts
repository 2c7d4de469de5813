/**
 * The apps' public ports in the compose stack (`docker-entrypoint.sh edge`): the same edge `npm start`
 * runs in its supervisor, as a container of its own that outlives Caddy's restarts. Settings:
 * src/server/platform/edge-settings.ts.
 */
import { startAppsEdge } from '../src/server/platform/apps-edge';
import { parseEdgeSettings } from '../src/server/platform/edge-settings';

const say = (line: string) => console.log(`[edge] ${line}`);

async function main() {
  const settings = parseEdgeSettings(process.env);
  const edge = await startAppsEdge({
    host: '0.0.0.0',
    port: settings.port,
    upstreamHost: settings.upstream.host,
    upstreamPort: settings.upstream.port,
    tls: settings.tls,
    waitForUpstreamMs: settings.waitForUpstreamMs,
    upstreamLogHint: '`docker-compose logs caddy`',
    log: say,
  });
  const tls = settings.tls
    ? `, HTTPS on :${edge.tlsPort} → ${settings.tls.upstreamHost}:${settings.tls.upstreamPort} (passed through)`
    : '';
  say(`HTTP on :${edge.port} → ${settings.upstream.host}:${settings.upstream.port}${tls}`);
  const stop = () => {
    say('stopping: finishing requests in flight');
    edge.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(`[edge] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
