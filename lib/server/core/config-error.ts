import 'server-only';

/** A configuration that cannot start: each problem names the variable (or file field) and what it expects. */
export class EnvError extends Error {
  constructor(readonly problems: { variable: string; expected: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((problem) => `  ${problem.variable}: ${problem.expected}`).join('\n') +
        '\nSee the configuration table in README.md.',
    );
    this.name = 'EnvError';
  }
}
