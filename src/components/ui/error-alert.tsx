import { errorMessage } from '@/trpc/error-message';

/** The message of a failed query or mutation, announced by screen readers; nothing while `error` is null. */
export function ErrorAlert({
  error,
  prefix,
  className,
}: {
  error: unknown;
  /** What failed, e.g. "Could not refresh the teams"; the message follows after a colon. */
  prefix?: string;
  className?: string;
}) {
  if (!error) return null;
  return (
    <p role="alert" className={`text-sm text-red-700 dark:text-red-300${className ? ` ${className}` : ''}`}>
      {prefix && `${prefix}: `}
      {errorMessage(error)}
    </p>
  );
}
