/** The one kind of failure the command reports: one line on stderr and an exit code, never a stack trace. */
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

export const SESSION_ENDED = 'Your Gatehouse session has ended or was revoked: run `gatehouse login`.';

/** Error text on one line, whatever a message carried (a portal's message could hold a newline). */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
