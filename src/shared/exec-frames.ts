/**
 * Output of `rise exec` and the dashboard's terminal travels as binary WebSocket frames whose first
 * byte names the stream; control messages travel as JSON text frames. Shared by the server, the CLI
 * and the browser.
 */
export const EXEC_STDOUT = 1;
export const EXEC_STDERR = 2;

export const EXEC_PATH = '/api/exec';

export function outputFrame(stream: 'stdout' | 'stderr', data: Uint8Array): Uint8Array {
  const frame = new Uint8Array(data.length + 1);
  frame[0] = stream === 'stdout' ? EXEC_STDOUT : EXEC_STDERR;
  frame.set(data, 1);
  return frame;
}

export function readOutputFrame(frame: Uint8Array): { stream: 'stdout' | 'stderr'; data: Uint8Array } | null {
  if (frame.length === 0) return null;
  if (frame[0] === EXEC_STDOUT) return { stream: 'stdout', data: frame.subarray(1) };
  if (frame[0] === EXEC_STDERR) return { stream: 'stderr', data: frame.subarray(1) };
  return null;
}
