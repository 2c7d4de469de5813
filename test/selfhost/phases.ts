// How long each phase of the self-hosting test took, printed as it ends and as a table at the end.

export type Phase = { name: string; ms: number; ok: boolean };

export function phaseClock(print: (line: string) => void = (line) => console.log(line)) {
  const phases: Phase[] = [];
  const started = Date.now();
  return {
    async time<T>(name: string, run: () => Promise<T>): Promise<T> {
      const begin = Date.now();
      print(`[selfhost] ${name} ...`);
      let ok = false;
      try {
        const value = await run();
        ok = true;
        return value;
      } finally {
        const ms = Date.now() - begin;
        phases.push({ name, ms, ok });
        print(`[selfhost] ${name}: ${(ms / 1000).toFixed(1)} s${ok ? '' : ' (failed)'}`);
      }
    },
    summary(): string {
      const width = Math.max(...phases.map((phase) => phase.name.length), 5);
      const lines = phases.map(
        (phase) =>
          `  ${phase.name.padEnd(width)}  ${(phase.ms / 1000).toFixed(1).padStart(6)} s${phase.ok ? '' : '  FAILED'}`,
      );
      const total = ((Date.now() - started) / 1000).toFixed(1);
      return ['[selfhost] phases:', ...lines, `  ${'total'.padEnd(width)}  ${total.padStart(6)} s`].join(
        '\n',
      );
    },
  };
}
