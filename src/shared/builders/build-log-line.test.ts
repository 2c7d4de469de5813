import { describe, expect, it } from 'vitest';
import { BUILD_LOG_LINE_MAX, sanitizeBuildLogLine } from './build-log-line';

describe('sanitizeBuildLogLine', () => {
  it('removes colours, cursor movement, titles and other control characters', () => {
    expect(sanitizeBuildLogLine('\u001b[1;32mStep 1/3\u001b[0m : FROM x')).toBe('Step 1/3 : FROM x');
    expect(sanitizeBuildLogLine('\u001b]0;pwned title\u0007after')).toBe('after');
    expect(sanitizeBuildLogLine('a\u0000b\u0008c\u007fd\u009be')).toBe('abcde');
    expect(sanitizeBuildLogLine('tab\there')).toBe('tab  here');
    expect(sanitizeBuildLogLine('line\nfeed')).toBe('linefeed');
  });

  it('keeps what a terminal finally shows of a line redrawn with \\r', () => {
    expect(sanitizeBuildLogLine('10%\r50%\r100% done\r')).toBe('100% done');
  });

  it('drops bidi overrides and replaces unpaired surrogates', () => {
    expect(sanitizeBuildLogLine('user\u202Egnp.exe')).toBe('usergnp.exe');
    expect(sanitizeBuildLogLine('a\ud800b')).toBe('a\ufffdb');
    expect(sanitizeBuildLogLine('emoji 😀 ok')).toBe('emoji 😀 ok');
  });

  it('cuts long lines', () => {
    const long = sanitizeBuildLogLine('x'.repeat(BUILD_LOG_LINE_MAX * 2));
    expect(long).toHaveLength(BUILD_LOG_LINE_MAX);
    expect(long.endsWith('…')).toBe(true);
  });
});
