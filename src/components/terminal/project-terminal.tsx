'use client';

import '@xterm/xterm/css/xterm.css';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/text-field';
import { openTerminalSession, terminalUrl } from './terminal-session';

type Session = ReturnType<typeof openTerminalSession>;

/**
 * A shell (or any command) in the project's running instance, in the browser: xterm.js over the same
 * WebSocket `rise exec` uses, with resize; copy and paste are the browser's own (select, then Ctrl+C /
 * Ctrl+V, or Cmd on a Mac). Every session is audited with who opened it, when and for how long.
 */
export function ProjectTerminal({ project }: { project: string }) {
  const [command, setCommand] = useState('/bin/sh');
  const [state, setState] = useState<'idle' | 'connecting' | 'open' | 'ended'>('idle');
  const [status, setStatus] = useState<string | null>(null);
  const screen = useRef<HTMLDivElement>(null);
  const live = useRef<{ terminal: Terminal; session: Session; stop: () => void } | null>(null);

  const disconnect = () => {
    live.current?.stop();
    live.current = null;
  };
  // The terminal and its connection end with the page.
  useEffect(
    () => () => {
      live.current?.stop();
      live.current = null;
    },
    [],
  );

  async function connect() {
    if (!screen.current) return;
    disconnect();
    setState('connecting');
    setStatus(null);
    const [{ Terminal }, { FitAddon }] = await Promise.all([
      import('@xterm/xterm'),
      import('@xterm/addon-fit'),
    ]);
    const terminal = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 13 });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    screen.current.replaceChildren();
    terminal.open(screen.current);
    fit.fit();
    const cmd = command.trim().split(/\s+/).filter(Boolean);
    const session = openTerminalSession(terminalUrl(window.location, project, cmd, terminal), {
      output: (data) => terminal.write(data),
      started: (deployment) => {
        setState('open');
        setStatus(`Connected to deployment ${deployment}.`);
        terminal.focus();
      },
      exit: (code) => {
        setState('ended');
        setStatus(`The command exited with code ${code}.`);
      },
      failed: (message) => {
        setState('ended');
        setStatus(message);
      },
    });
    const typed = terminal.onData((data) => session.send(data));
    const resized = terminal.onResize((size) => session.resize(size));
    const refit = () => fit.fit();
    window.addEventListener('resize', refit);
    live.current = {
      terminal,
      session,
      stop: () => {
        window.removeEventListener('resize', refit);
        typed.dispose();
        resized.dispose();
        session.close();
        terminal.dispose();
      },
    };
  }

  return (
    <Card title="Terminal">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void connect();
        }}
      >
        <div className="min-w-48 flex-1">
          <TextField label="Command" value={command} onChange={setCommand} verbatim mono />
        </div>
        <Button type="submit" variant="primary" disabled={state === 'connecting' || command.trim() === ''}>
          {state === 'open' ? 'Reconnect' : 'Connect'}
        </Button>
        {state === 'open' ? (
          <Button
            onClick={() => {
              disconnect();
              setState('ended');
              setStatus('Disconnected.');
            }}
          >
            Disconnect
          </Button>
        ) : null}
      </form>
      <p className="mt-2 text-sm text-zinc-500" role="status" data-testid="terminal-status">
        {status ?? 'Runs in the running instance of the active deployment, with the app’s environment.'}
      </p>
      <div
        ref={screen}
        data-testid="terminal"
        className="mt-3 h-96 overflow-hidden rounded-md bg-black p-2"
      />
    </Card>
  );
}
