import { EXEC_PATH, readOutputFrame } from '@/shared/exec-frames';

export type TerminalSize = { cols: number; rows: number };

export type TerminalSessionEvents = {
  output: (data: Uint8Array) => void;
  started: (deployment: string) => void;
  exit: (code: number) => void;
  failed: (message: string) => void;
};

/** The WebSocket address of a terminal on `project` running `cmd`, on this page's own origin. */
export function terminalUrl(
  location: { protocol: string; host: string },
  project: string,
  cmd: string[],
  size: TerminalSize,
) {
  const url = new URL(EXEC_PATH, `${location.protocol}//${location.host}`);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('project', project);
  for (const argument of cmd) url.searchParams.append('cmd', argument);
  url.searchParams.set('tty', '1');
  url.searchParams.set('cols', String(size.cols));
  url.searchParams.set('rows', String(size.rows));
  return url.toString();
}

/**
 * One terminal connection: keystrokes go out as binary frames, the command's output comes back as
 * binary frames, control messages (started, exit, error, resize) as JSON text.
 */
export function openTerminalSession(url: string, events: TerminalSessionEvents) {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  let ended = false;
  socket.onmessage = (message) => {
    if (message.data instanceof ArrayBuffer) {
      const frame = readOutputFrame(new Uint8Array(message.data));
      if (frame) events.output(frame.data);
      return;
    }
    const control = JSON.parse(String(message.data)) as {
      type: string;
      code?: number;
      deployment?: string;
      message?: string;
    };
    if (control.type === 'started') events.started(control.deployment ?? '');
    else if (control.type === 'exit') {
      ended = true;
      events.exit(control.code ?? -1);
    } else if (control.type === 'error') {
      ended = true;
      events.failed(control.message ?? 'the command failed');
    }
  };
  socket.onclose = (event) => {
    if (ended) return;
    ended = true;
    // A refusal before the upgrade (no permission, no running deployment) reaches a browser only as a
    // failed connection; the page says what is needed.
    events.failed(
      event.code === 1006
        ? 'Could not open the terminal: the app may not be running, or your role may not allow it (admins can).'
        : `The connection closed (${event.code}).`,
    );
  };
  const encoder = new TextEncoder();
  return {
    send: (text: string) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(text));
    },
    resize: (size: TerminalSize) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'resize', ...size }));
    },
    close: () => {
      ended = true;
      socket.close();
    },
  };
}
