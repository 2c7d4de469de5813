export type OutputFormat = 'table' | 'json';

/** Human text goes to stderr, so stdout carries only data (tables, JSON) for pipes and scripts. */
export function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function printJson(data: unknown): void {
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}

export type Column = { title: string; width: number };
export type Table = { columns: Column[]; rows: string[][] };

/** A table with fixed minimum column widths that grow to fit, as `rise p ls` prints it. */
export function printTable(columns: Column[], rows: string[][]): void {
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

/** How a list command shows its items outside JSON: a hint when there are none, else a table. */
export type ListView<T> = { empty: string; table(items: T[]): Table };

/** A list command's output: the items as JSON, or `view`'s hint when there are none, or its table. */
export function printList<T>(format: string, items: T[], view: ListView<T>): void {
  if (format === 'json') printJson(items);
  else if (items.length === 0) say(view.empty);
  else {
    const { columns, rows } = view.table(items);
    printTable(columns, rows);
  }
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
