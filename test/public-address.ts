import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '@/server/platform/free-port';

export type PublicAddress = {
  /** `127.0.0.1:<port>`, the public address. */
  host: string;
  port: number;
  /** Connections piped through, and connections refused because a process inside the stack made them. */
  accepted: () => number;
  refused: () => { pid: number; at: string }[];
  close: () => Promise<void>;
};

/** The inode of the TCP socket 127.0.0.1:`localPort` → :`remotePort`, from the kernel's tables. */
function socketInode(localPort: number, remotePort: number): string | null {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10) continue;
      const port = (address: string) => Number.parseInt(address.split(':').at(-1)!, 16);
      if (port(columns[1]!) === localPort && port(columns[2]!) === remotePort) return columns[9]!;
    }
  }
  return null;
}

/** Whether process `pid` holds the socket with `inode` open. */
function holdsSocket(pid: number, inode: string): boolean {
  const dir = `/proc/${pid}/fd`;
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return readlinkSync(`${dir}/${fd}`) === `socket:[${inode}]`;
    } catch {
      return false;
    }
  });
}

/**
 * A public address for a service at `target` (127.0.0.1:<port>), as the host has it while the
 * containers of a compose stack do not: connections made by the processes `unreachableFrom()` lists
 * (the worker, Caddy) are reset at once, as a dial to an address that is not there inside a
 * container fails; everyone else's (the Docker engine, the CLI, a browser) reach `target`. The
 * connecting process is found through /proc: the client socket's inode among each process's fds.
 */
export async function startPublicAddress(
  targetPort: number,
  unreachableFrom: () => (number | undefined)[],
): Promise<PublicAddress> {
  const port = await freePort();
  let accepted = 0;
  const refused: { pid: number; at: string }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const inode = client.remotePort ? socketInode(client.remotePort, port) : null;
    const insider = inode
      ? unreachableFrom()
          .filter((pid) => pid !== undefined)
          .find((pid) => holdsSocket(pid, inode))
      : undefined;
    if (insider !== undefined) {
      refused.push({ pid: insider, at: new Date().toISOString() });
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    host: `127.0.0.1:${port}`,
    port,
    accepted: () => accepted,
    refused: () => [...refused],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
