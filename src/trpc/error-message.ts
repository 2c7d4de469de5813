/** The message of a failed query or mutation, fit to show the user (tRPC errors carry the API's text). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
