/**
 * `npm run emulator -- [flags]`: runs the Identity Center emulator alone until SIGINT/SIGTERM.
 * Flags are validated with zod; a bad value names the flag and exits with status 2.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadDirectoryFile } from './directory';
import { describeIssues } from './knobs';
import { createEmulator, type EmulatorOptions } from './server';

const USAGE = `usage: npm run emulator -- [options]
  --port N                     listen port (default 4599; 0 = any free port)
  --host H                     listen address (default 127.0.0.1)
  --public-url URL             base URL for verification links (default http://<host>:<port>)
  --directory FILE             directory JSON (default: the demo directory)
  --region R                   region (default us-east-1)
  --latency-ms N               added to every AWS API call
  --rate-limit RPS             portal API requests per second (0 = off)
  --rate-burst N               token-bucket size (default max(1, rate limit))
  --fault-rate P               probability 0..1 that an AWS API call fails
  --seed N                     seed for fault injection
  --token-ttl-seconds N        access token lifetime (default 3600)
  --session-ttl-seconds N      sign-in lifetime, refresh limit (default 28800)
  --device-code-ttl-seconds N  device code lifetime (default 600)
  --role-credential-ttl-seconds N  role credentials' lifetime (default 0: each permission set's session duration)
  --poll-interval-seconds N    device flow polling interval (default 1)
  --quiet                      no request log`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'public-url': { type: 'string' },
  directory: { type: 'string' },
  region: { type: 'string' },
  'latency-ms': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-burst': { type: 'string' },
  'fault-rate': { type: 'string' },
  seed: { type: 'string' },
  'token-ttl-seconds': { type: 'string' },
  'session-ttl-seconds': { type: 'string' },
  'device-code-ttl-seconds': { type: 'string' },
  'role-credential-ttl-seconds': { type: 'string' },
  'poll-interval-seconds': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const whole = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const decimal = (min: number, max: number) =>
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const argsSchema = z.object({
  port: whole(0, 65_535).optional(),
  host: z.string().min(1, 'must not be empty').optional(),
  'public-url': z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  directory: z.string().min(1, 'must not be empty').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like us-east-1').optional(),
  'latency-ms': whole(0, 120_000).optional(),
  'rate-limit': decimal(0, 1_000_000).optional(),
  'rate-burst': decimal(1, 1_000_000).optional(),
  'fault-rate': decimal(0, 1).optional(),
  seed: whole(0, 2 ** 31 - 1).optional(),
  'token-ttl-seconds': whole(1, 31_536_000).optional(),
  'session-ttl-seconds': whole(1, 31_536_000).optional(),
  'device-code-ttl-seconds': whole(1, 31_536_000).optional(),
  'role-credential-ttl-seconds': whole(0, 43_200).optional(),
  'poll-interval-seconds': whole(1, 3600).optional(),
  quiet: z.boolean().optional(),
  help: z.boolean().optional(),
});

function fail(message: string): never {
  console.error(`emulator: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: unknown;
  try {
    values = parseArgs({ options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) fail(describeIssues(parsed.error, '--'));
  const args = parsed.data;
  if (args.help) {
    console.log(USAGE);
    return;
  }

  const options: EmulatorOptions = {
    port: args.port ?? 4599,
    host: args.host,
    publicUrl: args['public-url'],
    region: args.region,
    latencyMs: args['latency-ms'],
    rateLimit: args['rate-limit'],
    rateBurst: args['rate-burst'],
    faultRate: args['fault-rate'],
    seed: args.seed,
    accessTokenTtlSeconds: args['token-ttl-seconds'],
    ssoSessionTtlSeconds: args['session-ttl-seconds'],
    deviceCodeTtlSeconds: args['device-code-ttl-seconds'],
    roleCredentialTtlSeconds: args['role-credential-ttl-seconds'],
    pollIntervalSeconds: args['poll-interval-seconds'],
    log: args.quiet ? undefined : (line) => console.log(line),
  };
  if (args.directory) {
    try {
      options.directory = loadDirectoryFile(args.directory);
    } catch (error) {
      fail(`--directory: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Drop unset keys so the emulator's defaults apply.
  for (const key of Object.keys(options) as (keyof EmulatorOptions)[]) if (options[key] === undefined) delete options[key];

  let emulator;
  try {
    emulator = await createEmulator(options);
  } catch (error) {
    console.error(`emulator: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log(`Identity Center emulator listening on ${emulator.url} (start URL ${emulator.ctx.directory.startUrl}, region ${emulator.ctx.region})`);

  const running = emulator;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => {
        console.log(`emulator stopped (${signal})`);
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
