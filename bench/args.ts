/** Command line of `npm run bench -- …`, validated with zod. */
import { parseArgs } from 'node:util';

import { z } from 'zod';

export const USAGE = `usage: npm run bench -- [options]
  --accounts N            accounts in the organisation (default 1000)
  --roles N               roles per account, 1-12 (default 3)
  --latency-ms N          emulator latency per AWS call (default 25)
  --rate-limit RPS        emulator rate limit on portal calls, 0 = none (default 20); the portal's
                          IDC_RATE_LIMIT is set to the same value
  --seed N                organisation seed (default 1)
  --skip-browser          skip the browser measurements
  --skip-baselines        skip the SDK baselines (sequential, unbounded parallel)
  --browser-accounts N    accounts of the organisation for the browser step (default 5000)
  --browser-rate-limit R  emulator rate limit for the browser step, 0 = none (default 0: the browser step
                          measures the page, the AWS-limited listing is measured above)
  --query TEXT            what to type into the search box (default "payments-prod")
  --key-delay-ms N        pause between keystrokes (default 100)
  --cap-s N               wall-time cap of each measured listing (default 600)
  --out DIR               where latest.json and latest.md go (default bench/results)`;

const whole = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const rate = z.string().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number).pipe(z.number().min(0).max(1000, 'must be at most 1000'));

const schema = z.object({
  accounts: whole(0, 100_000).default(1000),
  roles: whole(1, 12).default(3),
  latencyMs: whole(0, 10_000).default(25),
  rateLimit: rate
    .refine((value) => value === 0 || value >= 0.1, 'must be 0 (no limit) or at least 0.1')
    .default(20),
  seed: whole(0, 2 ** 32 - 1).default(1),
  skipBrowser: z.boolean().default(false),
  skipBaselines: z.boolean().default(false),
  browserAccounts: whole(1, 100_000).default(5000),
  browserRateLimit: rate.default(0),
  query: z.string().min(1).max(64).default('payments-prod'),
  keyDelayMs: whole(0, 5000).default(100),
  capS: whole(1, 3600).default(600),
  out: z.string().min(1).default('bench/results'),
});

export type BenchOptions = z.infer<typeof schema>;

export function parseBenchArgs(argv: string[]): BenchOptions | { help: true } | { error: string } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        accounts: { type: 'string' },
        roles: { type: 'string' },
        'latency-ms': { type: 'string' },
        'rate-limit': { type: 'string' },
        seed: { type: 'string' },
        'skip-browser': { type: 'boolean' },
        'skip-baselines': { type: 'boolean' },
        'browser-accounts': { type: 'string' },
        'browser-rate-limit': { type: 'string' },
        query: { type: 'string' },
        'key-delay-ms': { type: 'string' },
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
  const result = schema.safeParse({
    accounts: values.accounts,
    roles: values.roles,
    latencyMs: values['latency-ms'],
    rateLimit: values['rate-limit'],
    seed: values.seed,
    skipBrowser: values['skip-browser'],
    skipBaselines: values['skip-baselines'],
    browserAccounts: values['browser-accounts'],
    browserRateLimit: values['browser-rate-limit'],
    query: values.query,
    keyDelayMs: values['key-delay-ms'],
    capS: values['cap-s'],
    out: values.out,
  });
  if (!result.success) {
    const names: Record<string, string> = { latencyMs: 'latency-ms', rateLimit: 'rate-limit', skipBrowser: 'skip-browser', skipBaselines: 'skip-baselines', browserAccounts: 'browser-accounts', browserRateLimit: 'browser-rate-limit', keyDelayMs: 'key-delay-ms', capS: 'cap-s' };
    return {
      error: result.error.issues
        .map((issue) => {
          const key = String(issue.path[0] ?? '');
          return `--${names[key] ?? key}: ${issue.message}`;
        })
        .join('; '),
    };
  }
  return result.data;
}
