import { describe, expect, it } from 'vitest';
import { isIdempotent, shouldBufferBody, shouldRetry, type UpstreamFailure } from './edge-retry';

const failure = (overrides: Partial<UpstreamFailure>): UpstreamFailure => ({
  phase: 'request',
  code: 'ECONNRESET',
  method: 'GET',
  bodyReplayable: true,
  responseStarted: false,
  ...overrides,
});

describe('edge retry rules', () => {
  it('retries a refused connection for every method: the request never reached Caddy', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
      expect(
        shouldRetry(failure({ phase: 'connect', code: 'ECONNREFUSED', method, bodyReplayable: false })),
      ).toBe(true);
    }
  });

  it("retries for every method while Caddy's container is gone: its name unresolved or its address unreachable", () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) {
      expect(shouldRetry(failure({ phase: 'connect', code, method: 'POST', bodyReplayable: false }))).toBe(
        true,
      );
    }
  });

  it('retries a connection reset before any answer only for idempotent methods with a replayable body', () => {
    expect(shouldRetry(failure({ method: 'GET' }))).toBe(true);
    expect(shouldRetry(failure({ method: 'PUT' }))).toBe(true);
    expect(shouldRetry(failure({ method: 'HEAD', code: 'EPIPE' }))).toBe(true);
    expect(shouldRetry(failure({ method: 'POST' }))).toBe(false);
    expect(shouldRetry(failure({ method: 'PATCH' }))).toBe(false);
    expect(shouldRetry(failure({ method: 'PUT', bodyReplayable: false }))).toBe(false);
  });

  it('never retries once the answer started, nor on other errors', () => {
    expect(shouldRetry(failure({ responseStarted: true }))).toBe(false);
    expect(shouldRetry(failure({ phase: 'connect', code: 'ECONNREFUSED', responseStarted: true }))).toBe(
      false,
    );
    expect(shouldRetry(failure({ code: 'ETIMEDOUT' }))).toBe(false);
    expect(shouldRetry(failure({ code: undefined }))).toBe(false);
    expect(shouldRetry(failure({ phase: 'connect', code: 'EACCES' }))).toBe(false);
  });

  it('buffers bodies of idempotent requests with a known length within the limit only', () => {
    expect(shouldBufferBody('GET', {}, 1024)).toBe(true);
    expect(shouldBufferBody('PUT', { 'content-length': '1024' }, 1024)).toBe(true);
    expect(shouldBufferBody('PUT', { 'content-length': '1025' }, 1024)).toBe(false);
    expect(shouldBufferBody('PUT', { 'transfer-encoding': 'chunked' }, 1024)).toBe(false);
    expect(shouldBufferBody('POST', { 'content-length': '10' }, 1024)).toBe(false);
    expect(shouldBufferBody('GET', { 'content-length': 'x' }, 1024)).toBe(false);
  });

  it('knows the idempotent methods', () => {
    expect(['GET', 'head', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true);
    expect(['POST', 'PATCH', 'CONNECT'].some(isIdempotent)).toBe(false);
  });
});
