/** Environment variables as the command reads them (process.env, or a test's own). */
export type Environment = Readonly<Record<string, string | undefined>>;
