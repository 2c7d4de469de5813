/**
 * Runs the tasks given to it one after another, in call order, within this process: for allocations
 * that read what is free and then claim it (a subnet, a port), which concurrent jobs would otherwise
 * all read as the same first free one. A failed task does not stop the ones after it.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = last.then(task);
    last = run.catch(() => undefined);
    return run;
  };
}
