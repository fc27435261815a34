/** Command line of `npm run load -- …`, validated with zod. */
import { parseArgs } from 'node:util';

import { z } from 'zod';

export const LOAD_USAGE = `usage: npm run load -- [options]
  --people N              simulated people (default 200; --smoke: 10)
  --arrival-s N           they arrive evenly over this many seconds (default 60; --smoke: 5)
  --min-accounts N        fewest accounts of an ordinary person (default 20)
  --max-accounts N        most accounts of an ordinary person (default 300; --smoke: 40)
  --large-people N        people with a large organisation (default 4; --smoke: 1)
  --large-accounts N      accounts of each of them (default 2000; --smoke: 120)
  --latency-ms N          emulator latency per AWS call (default 25)
  --rate-limit RPS        emulator rate limit on portal API calls; the portals' IDC_RATE_LIMIT too (default 20)
  --credentials N         roles each person takes credentials for (default 3)
  --cli-runs N            \`gatehouse credential-process\` runs per person (default 10; --smoke: 3)
  --setups LIST           sqlite, redis or both, comma-separated (default sqlite,redis)
  --seed N                organisation seed (default 1)
  --cap-s N               wall-time cap of each set-up (default 1200; --smoke: 100)
  --smoke                 a run small enough for CI (each default above marked --smoke)
  --out DIR               where load.json and load.md go (default bench/results)`;

const whole = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const SETUPS = ['sqlite', 'redis'] as const;
export type SetupName = (typeof SETUPS)[number];

const schema = z
  .object({
    smoke: z.boolean().default(false),
    people: whole(1, 2000).optional(),
    arrivalS: whole(0, 3600).optional(),
    minAccounts: whole(1, 5000).optional(),
    maxAccounts: whole(1, 5000).optional(),
    largePeople: whole(0, 100).optional(),
    largeAccounts: whole(1, 20_000).optional(),
    latencyMs: whole(0, 10_000).default(25),
    rateLimit: whole(1, 1000).default(20),
    credentials: whole(0, 20).default(3),
    cliRuns: whole(0, 100).optional(),
    setups: z
      .string()
      .default('sqlite,redis')
      .transform((list) => [...new Set(list.split(',').map((name) => name.trim()))])
      .pipe(z.array(z.enum(SETUPS, { error: 'must be sqlite, redis or both' })).min(1)),
    seed: whole(0, 2 ** 32 - 1).default(1),
    capS: whole(1, 7200).optional(),
    out: z.string().min(1).default('bench/results'),
  })
  .transform(({ smoke, ...options }) => ({
    ...options,
    smoke,
    people: options.people ?? (smoke ? 10 : 200),
    arrivalS: options.arrivalS ?? (smoke ? 5 : 60),
    minAccounts: options.minAccounts ?? 20,
    maxAccounts: options.maxAccounts ?? (smoke ? 40 : 300),
    largePeople: options.largePeople ?? (smoke ? 1 : 4),
    largeAccounts: options.largeAccounts ?? (smoke ? 120 : 2000),
    cliRuns: options.cliRuns ?? (smoke ? 3 : 10),
    capS: options.capS ?? (smoke ? 100 : 1200),
  }))
  .refine((options) => options.minAccounts <= options.maxAccounts, { message: '--min-accounts must not be above --max-accounts', path: ['minAccounts'] })
  .refine((options) => options.largePeople <= options.people, { message: '--large-people must not be above --people', path: ['largePeople'] });

export type LoadOptions = z.infer<typeof schema>;

const FLAG: Record<string, string> = {
  arrivalS: 'arrival-s',
  minAccounts: 'min-accounts',
  maxAccounts: 'max-accounts',
  largePeople: 'large-people',
  largeAccounts: 'large-accounts',
  latencyMs: 'latency-ms',
  rateLimit: 'rate-limit',
  cliRuns: 'cli-runs',
  capS: 'cap-s',
};

export function parseLoadArgs(argv: string[]): LoadOptions | { help: true } | { error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        smoke: { type: 'boolean' },
        people: { type: 'string' },
        'arrival-s': { type: 'string' },
        'min-accounts': { type: 'string' },
        'max-accounts': { type: 'string' },
        'large-people': { type: 'string' },
        'large-accounts': { type: 'string' },
        'latency-ms': { type: 'string' },
        'rate-limit': { type: 'string' },
        credentials: { type: 'string' },
        'cli-runs': { type: 'string' },
        setups: { type: 'string' },
        seed: { type: 'string' },
        'cap-s': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { help: true };
  const input: Record<string, unknown> = {};
  for (const [flag, value] of Object.entries(values)) {
    const key = flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    input[key] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    return {
      error: result.error.issues
        .map((issue) => {
          const key = String(issue.path[0] ?? '');
          return `--${FLAG[key] ?? key}: ${issue.message}`;
        })
        .join('; '),
    };
  }
  return result.data;
}
