import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { freePort } from '@/server/platform/free-port';

export type TestDnsServer = {
  /** `127.0.0.1:<port>`, for RISE_DNS_SERVERS. */
  address: string;
  /** Sets (or with an empty list removes) the TXT values of `name`. */
  setTxt: (name: string, values: string[]) => void;
  /** Sets (or with an empty list removes) the A records of `name`. */
  setA: (name: string, addresses: string[]) => void;
  /** Names asked so far, as `TYPE name`. */
  queries: string[];
  stop: () => Promise<void>;
};

const NXDOMAIN = 3;

/**
 * A real DNS server over UDP on 127.0.0.1 answering authoritatively from records the test sets: what
 * Rise's resolver sees when it checks a custom domain's TXT record or address (RISE_DNS_SERVERS).
 */
export async function startDnsServer(): Promise<TestDnsServer> {
  const txt = new Map<string, string[]>();
  const a = new Map<string, string[]>();
  const queries: string[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, remote) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    queries.push(`${question.type} ${name}`);
    const answers: dnsPacket.Answer[] = [];
    if (question.type === 'TXT') {
      for (const value of txt.get(name) ?? []) answers.push({ type: 'TXT', name, ttl: 1, data: value });
    } else if (question.type === 'A') {
      for (const value of a.get(name) ?? []) answers.push({ type: 'A', name, ttl: 1, data: value });
    }
    const known = txt.has(name) || a.has(name);
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (known ? 0 : NXDOMAIN),
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve());
  });
  const setter = (map: Map<string, string[]>) => (name: string, values: string[]) => {
    if (values.length === 0) map.delete(name.toLowerCase());
    else map.set(name.toLowerCase(), values);
  };
  return {
    address: `127.0.0.1:${port}`,
    setTxt: setter(txt),
    setA: setter(a),
    queries,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
