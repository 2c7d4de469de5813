import type { ProbeOutcome } from './proxy-probe';

/**
 * A private app's check from its two probes. Through the proxy, forward-auth answers before the app
 * is reached: an anonymous visitor gets Rise's sign-in redirect (or a 401) whether the app is up or
 * not, so that answer says only that the proxy and Rise's sign-in serve the host (a 5xx there, e.g.
 * Rise's auth endpoint unreachable, is down: no visitor gets in). Whether the app answers is seen by
 * probing its instance directly (`instance`; null when the proxy probe already failed). The app's
 * status code and response time are recorded.
 */
export function privateAppOutcome(proxy: ProbeOutcome, instance: ProbeOutcome | null): ProbeOutcome {
  if (!proxy.up || !instance) return { ...proxy, error: `through the proxy: ${proxy.error ?? 'no answer'}` };
  if (!instance.up)
    return {
      ...instance,
      error: `app behind the sign-in (probed directly): ${instance.error ?? 'no answer'}`,
    };
  return instance;
}
