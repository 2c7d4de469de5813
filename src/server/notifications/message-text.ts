import type { NotificationMessage } from './channel';

/** Details worth a line each (strings and numbers), e.g. `Error: exit code 1`. */
export function detailLines(message: NotificationMessage): string[] {
  return Object.entries(message.details)
    .filter(
      ([, value]) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
    )
    .map(([key, value]) => `${key}: ${String(value)}`);
}

/** The event as plain text: its title, the project, then its details. */
export function plainText(message: NotificationMessage): string {
  return [
    message.title,
    ...(message.project ? [`Project: ${message.project}`] : []),
    `Event: ${message.kind}`,
    ...detailLines(message),
  ].join('\n');
}

/** Failures red, recoveries green, the rest neutral: the colour chat services show beside the message. */
export function severityOf(message: NotificationMessage): 'bad' | 'good' | 'info' {
  if (/failed|crash|down|low|expired|cancelled|health-failing/.test(message.kind)) return 'bad';
  if (/succeeded|created|\.up$|test/.test(message.kind)) return 'good';
  return 'info';
}

export const httpsUrl = (value: string) => /^https?:\/\//.test(value);
