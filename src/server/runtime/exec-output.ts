export type OutputListener = (stream: 'stdout' | 'stderr', data: Buffer) => void;

/**
 * An exec session's output as it comes, for listeners that attach later (after a WebSocket
 * handshake): what came before the first listener is kept and handed to it first.
 */
export function execOutput() {
  const listeners: OutputListener[] = [];
  let early: [stream: 'stdout' | 'stderr', data: Buffer][] | null = [];
  return {
    emit(stream: 'stdout' | 'stderr', data: Buffer) {
      if (early) early.push([stream, data]);
      else for (const listener of listeners) listener(stream, data);
    },
    listen(listener: OutputListener) {
      listeners.push(listener);
      if (early) {
        const kept = early;
        early = null;
        for (const [stream, data] of kept) listener(stream, data);
      }
    },
  };
}
