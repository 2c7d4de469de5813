export type OutputFormat = 'table' | 'json';

/** Human text goes to stderr, so stdout carries only data (tables, JSON) for pipes and scripts. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

/** A table with fixed minimum column widths that grow to fit, as `rise p ls` prints it. */
export function printTable(columns: { title: string; width: number }[], rows: string[][]): void {
  const widths = columns.map((column, index) =>
    Math.max(column.width, ...rows.map((row) => (row[index] ?? '').length + 2)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index]!)))
      .join('')
      .trimEnd();
  process.stdout.write(`${[line(columns.map((column) => column.title)), ...rows.map(line)].join('\n')}\n`);
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows `text` with a spinner while work runs, on a terminal; elsewhere (CI, pipes) just the line.
 * Either way the line stays on screen exactly as given.
 */
export function startSpinner(text: string): { stop(): void } {
  if (!process.stderr.isTTY) {
    say(text);
    return { stop: () => undefined };
  }
  let frame = 0;
  let running = true;
  const draw = () => process.stderr.write(`\r${text} ${FRAMES[frame++ % FRAMES.length]}`);
  draw();
  const timer = setInterval(draw, 80);
  return {
    stop() {
      if (!running) return;
      running = false;
      clearInterval(timer);
      process.stderr.write(`\r${text}  \n`);
    },
  };
}
