// Loaded into the worker of Rise's image with `node --import`: touches a file while the worker's event
// loop runs, which the container's health check (scripts/healthcheck.mjs worker) reads.
import { closeSync, openSync, utimesSync } from 'node:fs';

const heartbeatFile = '/tmp/rise-worker.heartbeat';

function beat() {
  try {
    closeSync(openSync(heartbeatFile, 'a'));
    const now = new Date();
    utimesSync(heartbeatFile, now, now);
  } catch (error) {
    console.error(
      `[worker] heartbeat file ${heartbeatFile}: ${error instanceof Error ? error.message : error}`,
    );
  }
}

beat();
// unref: the heartbeat never keeps a stopping worker alive.
setInterval(beat, 10_000).unref();
