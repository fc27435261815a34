/** The one kind of failure the command reports: one line on stderr and an exit code, never a stack trace. */
import { printableOnly } from '../lib/shared/aws-names';

export class CliError extends Error {
  constructor(
    message: string,
    /** 1: the request failed; 2: the command line was wrong. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The longest text from a portal the command shows in one place. */
export const MAX_SHOWN = 300;

/**
 * Text that came from elsewhere (a portal's message, a name) as it may reach a terminal: on one line,
 * without a control character, an escape sequence's introducer or a bidi override (which would drive
 * or deceive the terminal), at most `max` characters.
 */
export function forTerminal(text: string, max = MAX_SHOWN): string {
  const shown = printableOnly(text.replace(/\s+/g, ' ')).trim();
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** Error text on one line, whatever a message carried (a portal's message could hold a newline). */
export function oneLine(text: string): string {
  return forTerminal(text, 2000);
}
