// Stand-in for the `server-only` marker package under Vitest, which runs outside a React Server build.
export {};
