import { describe, expect, it } from 'vitest';
import { findInvalidText, storableTextInput } from './input-text';

describe('findInvalidText', () => {
  it('accepts ordinary and non-ASCII text, including paired surrogates', () => {
    expect(
      findInvalidText({ name: 'café ☃ 𝕽ise', vars: [{ key: 'A', value: '$(rm -rf /)\n../' }] }),
    ).toBeNull();
  });

  it('finds a NUL character in a nested value and names its path', () => {
    expect(findInvalidText({ vars: [{ key: 'A', value: 'a\u0000b' }] })).toEqual({
      path: ['vars', 0, 'value'],
      problem: 'contains a NUL character',
    });
  });

  it('finds lone surrogates, high or low, and bad object keys', () => {
    expect(findInvalidText('x\ud800')?.problem).toMatch(/unpaired/);
    expect(findInvalidText(['\udc00y'])?.path).toEqual([0]);
    expect(findInvalidText({ claims: { 'a\u0000': 'b' } })?.problem).toMatch(/key that contains a NUL/);
  });

  it('leaves non-plain objects (dates, buffers) alone', () => {
    expect(findInvalidText({ at: new Date(0) })).toBeNull();
  });
});

describe('storableTextInput', () => {
  it('fails with a message that says where the bad text is', () => {
    const result = storableTextInput.safeParse({ team: 'a\u0000' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('team contains a NUL character; remove it and try again.');
  });
});
