import type { ComponentHealth, HealthComponent, HealthProbe } from './platform-health.schema';

/** An error's message with its cause: "fetch failed" alone says nothing about what failed. */
function errorDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  const causeText = cause ? cause.message || (cause as NodeJS.ErrnoException).code || cause.name : '';
  return causeText && !error.message.includes(causeText) ? `${error.message} (${causeText})` : error.message;
}

async function probe(component: HealthComponent, check: HealthProbe, timeoutMs: number) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return { component, ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const detail = errorDetail(error);
    return { component, ok: false, detail, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every probe at once; a slow or failing component is reported, never thrown. */
export function checkPlatformHealth(
  probes: Record<HealthComponent, HealthProbe>,
  timeoutMs = 3000,
): Promise<ComponentHealth[]> {
  return Promise.all(
    (Object.entries(probes) as [HealthComponent, HealthProbe][]).map(([component, check]) =>
      probe(component, check, timeoutMs),
    ),
  );
}
