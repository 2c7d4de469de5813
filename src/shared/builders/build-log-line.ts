// One line of build output as Rise stores and shows it: plain text, no terminal control. Used by the
// CLI before it sends a line and by the server before it stores one (the server trusts no client).

/** Longer lines are cut here and end with `…`. */
export const BUILD_LOG_LINE_MAX = 2000;

/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`) and two-character escape sequences. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;
/** C0 and C1 controls (tab is replaced before this runs) and DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates: they can make a line display as something it is not. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `line` without terminal escapes, control and bidi characters or invalid Unicode; of a line a
 * progress bar redrew with `\r`, what a terminal would finally show; at most BUILD_LOG_LINE_MAX long.
 */
export function sanitizeBuildLogLine(line: string): string {
  const redrawn = line
    .split('\r')
    .filter((part) => part.trim())
    .at(-1);
  let text = (redrawn ?? '')
    .replace(ESCAPE_SEQUENCE, '')
    .replace(/\t/g, '  ')
    .replace(CONTROL, '')
    .replace(BIDI_CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .trimEnd();
  if (text.length > BUILD_LOG_LINE_MAX) {
    text = `${text.slice(0, BUILD_LOG_LINE_MAX - 1).replace(LONE_SURROGATE, '')}…`;
  }
  return text;
}
