/** Start-up checks of the Node.js server (the Edge runtime, which runs src/proxy.ts, skips them). */
export async function registerNode() {
  let env: import('./env').Env;
  try {
    ({ env } = await import('./env'));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    // Next.js logs instrumentation errors and serves anyway; a misconfigured Rise must not.
    process.exit(1);
  }
  // Per-address rate limits need the socket's peer, which route handlers never see.
  (await import('./server/security/client-address')).recordPeerAddresses();
  // `rise exec` and the dashboard's terminal: WebSocket upgrades Next.js would not route.
  const { handleExecUpgrade } = await import('./server/exec/exec-websocket');
  (await import('./server/exec/upgrade-routes')).routeExecUpgrades(handleExecUpgrade);
  // The registry (token auth) needs the certificate of Rise's signing key before it starts.
  try {
    await (await import('./server/registry/config')).registrySigningKey();
  } catch (error) {
    console.error('registry signing key:', error instanceof Error ? error.message : error);
  }
  // Prometheus metrics on an address of their own (the route /api/metrics needs the token).
  if (env.RISE_METRICS_ADDRESS) {
    (await import('./server/metrics/job-states')).registerJobStates();
    try {
      await (await import('./server/metrics/metrics-listener')).startMetricsListener({
        address: env.RISE_METRICS_ADDRESS,
        token: env.RISE_METRICS_TOKEN,
        log: (line) => console.log(line),
      });
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    }
  }
}
