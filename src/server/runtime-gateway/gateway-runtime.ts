import http from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { notFound } from '@/server/errors';
import { execOutput } from '@/server/runtime/exec-output';
import type {
  ExecOptions,
  ExecSession,
  InstanceRef,
  InstanceStatus,
  LogLine,
  OneOffOptions,
  OneOffResult,
  OneOffSpec,
  Runtime,
} from '@/server/runtime/types';
import { readOutputFrame } from '@/shared/exec-frames';
import { gatewayInstanceList, gatewayQuery } from './gateway-request';

export type GatewayAddress = { socketPath: string; token: string };

/**
 * `runtime` with its app output and commands served by the worker's runtime gateway (see
 * gateway-server.ts): for a web server that has no Docker socket of its own.
 */
export function throughRuntimeGateway(runtime: Runtime, gateway: GatewayAddress): Runtime {
  const through = Object.create(runtime) as Runtime;
  through.logs = (project, deploymentId, options) =>
    gatewayLogs(gateway, runtime.name, project, deploymentId, options);
  through.exec = (project, deploymentId, options) =>
    gatewayExec(gateway, runtime.name, project, deploymentId, options);
  through.runOneOff = (spec, options) => gatewayOneOff(gateway, runtime.name, spec, options);
  through.list = (filter) => gatewayList(gateway, runtime.name, filter?.project);
  return through;
}

async function gatewayList(
  gateway: GatewayAddress,
  runtime: string,
  project: string | undefined,
): Promise<InstanceStatus[]> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(
      {
        socketPath: gateway.socketPath,
        path: `/instances?${gatewayQuery({ runtime, project })}`,
        headers: { authorization: `Bearer ${gateway.token}` },
      },
      resolve,
    );
    request.on('error', reject);
  });
  let body = '';
  for await (const chunk of response) body += chunk;
  if (response.statusCode !== 200)
    throw new Error(body.trim() || `the runtime gateway answered ${response.statusCode}`);
  return gatewayInstanceList.parse(JSON.parse(body));
}

/** An instance as the gateway's query names it (absent: web's replica 0). */
const instanceQuery = (instance: InstanceRef | undefined) =>
  instance ? { process: instance.process, replica: instance.replica } : {};

async function* gatewayLogs(
  gateway: GatewayAddress,
  runtime: string,
  project: string,
  deployment: string,
  options: { follow: boolean; tail: number; signal?: AbortSignal; instance?: InstanceRef },
): AsyncGenerator<LogLine> {
  const query = gatewayQuery({
    runtime,
    project,
    deployment,
    follow: options.follow,
    tail: options.tail,
    ...instanceQuery(options.instance),
  });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.get(
      {
        socketPath: gateway.socketPath,
        path: `/logs?${query}`,
        headers: { authorization: `Bearer ${gateway.token}` },
        signal: options.signal,
      },
      resolve,
    );
    request.on('error', reject);
  });
  if (response.statusCode !== 200) {
    let body = '';
    for await (const chunk of response) body += chunk;
    throw notFound(body.trim() || `the runtime gateway answered ${response.statusCode}`);
  }
  try {
    for await (const line of createInterface({ input: response, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!line) continue;
      const parsed = JSON.parse(line) as { stream: LogLine['stream']; line: string; time: string | null };
      yield { stream: parsed.stream, line: parsed.line, time: parsed.time ? new Date(parsed.time) : null };
    }
  } catch (error) {
    if (options.signal?.aborted) return;
    throw error;
  }
}

function gatewayExec(
  gateway: GatewayAddress,
  runtime: string,
  project: string,
  deployment: string,
  options: ExecOptions,
): Promise<ExecSession> {
  const { instance, ...rest } = options;
  const query = gatewayQuery({ runtime, project, deployment, ...rest, ...instanceQuery(instance) });
  const socket = new WebSocket(`ws+unix://${gateway.socketPath}:/exec?${query}`, {
    headers: { authorization: `Bearer ${gateway.token}` },
  });
  const output = execOutput();
  let exit: number | null = null;
  const exitCode = new Promise<number>((resolve) => {
    socket.on('close', () => resolve(exit ?? -1));
  });
  socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!isBinary) {
      const message = JSON.parse(bytes.toString('utf8')) as { type: string; code?: number };
      if (message.type === 'exit') exit = message.code ?? -1;
      return;
    }
    const frame = readOutputFrame(bytes);
    if (frame) output.emit(frame.stream, Buffer.from(frame.data));
  });
  const send = (data: Buffer | string) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(data, { binary: typeof data !== 'string' });
  };
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        reject(notFound(body.trim() || `the runtime gateway answered ${response.statusCode}`));
        socket.terminate();
      });
    });
    socket.once('error', reject);
    socket.once('open', () => {
      socket.off('error', reject);
      socket.on('error', () => socket.terminate());
      resolve({
        write: (data) => send(data),
        endInput: () => send(JSON.stringify({ type: 'eof' })),
        resize: async (cols, rows) => send(JSON.stringify({ type: 'resize', cols, rows })),
        onOutput: (listener) => output.listen(listener),
        exitCode,
        close: () => socket.close(),
      });
    });
  });
}

type OneOffMessage =
  | { type: 'line'; line: { stream: LogLine['stream']; line: string; time: string | null } }
  | { type: 'result'; result: OneOffResult }
  | { type: 'error'; message: string };

async function gatewayOneOff(
  gateway: GatewayAddress,
  runtime: string,
  spec: OneOffSpec,
  options: OneOffOptions,
): Promise<OneOffResult> {
  const body = JSON.stringify({ runtime, spec, timeoutMs: options.timeoutMs });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.request(
      {
        socketPath: gateway.socketPath,
        path: '/one-off',
        method: 'POST',
        headers: {
          authorization: `Bearer ${gateway.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        signal: options.signal,
      },
      resolve,
    );
    request.on('error', reject);
    request.end(body);
  }).catch((error: unknown) => {
    if (options.signal?.aborted) return null;
    throw error;
  });
  if (!response) return { outcome: 'cancelled' };
  if (response.statusCode !== 200) {
    let text = '';
    for await (const chunk of response) text += chunk;
    throw new Error(text.trim() || `the runtime gateway answered ${response.statusCode}`);
  }
  try {
    for await (const line of createInterface({ input: response, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!line) continue;
      const message = JSON.parse(line) as OneOffMessage;
      if (message.type === 'line') {
        const { stream, line: text, time } = message.line;
        await options.onOutput({ stream, line: text, time: time ? new Date(time) : null });
      } else if (message.type === 'result') return message.result;
      else throw new Error(message.message);
    }
  } catch (error) {
    if (options.signal?.aborted) return { outcome: 'cancelled' };
    throw error;
  }
  if (options.signal?.aborted) return { outcome: 'cancelled' };
  throw new Error('the runtime gateway ended the one-off without a result');
}
