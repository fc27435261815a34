import 'server-only';

/**
 * Next.js may evaluate one server module in more than one bundle (pages and route handlers), while
 * the process-wide services live on globalThis, built by whichever bundle came first. A class can
 * therefore exist twice in one process, and `error instanceof SessionEndedError` would be false for
 * an error the other copy threw (an ended session answered with a 500 instead of a 401). The
 * portal's errors that cross that boundary are recognised by their name instead:
 *
 *   static override [Symbol.hasInstance](value: unknown): value is SessionEndedError {
 *     return isNamedError(value, 'SessionEndedError');
 *   }
 */
export function isNamedError(value: unknown, name: string): boolean {
  return value instanceof Error && value.name === name;
}
