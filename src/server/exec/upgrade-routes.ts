import http from 'node:http';
import type { Duplex } from 'node:stream';
import { EXEC_PATH } from '@/shared/exec-frames';

const PATCHED = Symbol.for('rise.upgrade-routes');

type UpgradeHandler = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

/**
 * Next.js gives route handlers no WebSocket upgrades; the web server's own `upgrade` events for
 * EXEC_PATH are taken before Next sees them (the same server, port and origin as the dashboard and the
 * API, through Caddy and the edge alike). Every other upgrade goes on to Next.
 */
export function routeExecUpgrades(handler: UpgradeHandler): void {
  const prototype = http.Server.prototype as http.Server & { [PATCHED]?: boolean };
  if (prototype[PATCHED]) return;
  prototype[PATCHED] = true;
  const emit = prototype.emit;
  prototype.emit = function emitWithUpgrades(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'upgrade') {
      const request = args[0] as http.IncomingMessage;
      const path = (request.url ?? '').split('?', 1)[0];
      if (path === EXEC_PATH) {
        Promise.resolve(handler(request, args[1] as Duplex, args[2] as Buffer)).catch(() =>
          (args[1] as Duplex).destroy(),
        );
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]);
  } as typeof prototype.emit;
}
