import { describe, expect, it } from 'vitest';
import { execOutput } from './exec-output';

describe('execOutput', () => {
  it('hands output that came before the first listener to it, in order, then streams', () => {
    const output = execOutput();
    output.emit('stdout', Buffer.from('a'));
    output.emit('stderr', Buffer.from('b'));
    const seen: string[] = [];
    output.listen((stream, data) => seen.push(`${stream}:${data}`));
    output.emit('stdout', Buffer.from('c'));
    expect(seen).toEqual(['stdout:a', 'stderr:b', 'stdout:c']);
  });
});
