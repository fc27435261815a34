import 'server-only';

import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

import { DEMO_SSO_REGION, DEMO_START_URL } from '@/lib/shared/demo';

/**
 * The only reader of process.env. Every variable of the contract is parsed here with zod;
 * a bad value stops start-up with a message that names the variable and what it expects.
 */

const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

// An unset variable and an empty one mean the same: "use the default".
const optionalString = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().optional(),
);

function url(protocols: readonly string[], what: string) {
  return optionalString.pipe(
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, `expected ${what}`)
      .optional(),
  );
}

const region = optionalString.pipe(
  z.string().regex(AWS_REGION_PATTERN, 'expected an AWS region such as us-east-1 or eu-west-2').optional(),
);

function port(defaultPort: number) {
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'expected a whole number from 1 to 65535')
      .transform(Number)
      .refine((value) => value >= 1 && value <= 65535, 'expected a whole number from 1 to 65535')
      .default(defaultPort),
  );
}

function minutes(defaultMinutes: number, max: number) {
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, `expected a whole number of minutes from 1 to ${max}`)
      .transform(Number)
      .refine((value) => value >= 1 && value <= max, `expected a whole number of minutes from 1 to ${max}`)
      .default(defaultMinutes),
  );
}

const endpoint = url(['http:', 'https:'], 'an http(s) URL such as https://portal.sso.eu-west-1.amazonaws.com');

export const envSchema = z.object({
  SSO_START_URL: url(['https:'], 'the https start URL of your Identity Center, such as https://d-1234567890.awsapps.com/start'),
  SSO_REGION: region,
  SESSION_SECRET: optionalString.pipe(
    z
      .string()
      .transform((value) => value.split(',').map((key) => key.trim()))
      .refine(
        (keys) => keys.every((key) => key.length >= 32),
        'expected one or more comma-separated secrets of at least 32 characters each (for example from `openssl rand -base64 32`)',
      )
      .optional(),
  ),
  REDIS_URL: url(['redis:', 'rediss:'], 'a redis:// or rediss:// URL such as redis://127.0.0.1:6379'),
  DATA_DIR: optionalString.pipe(z.string().default('.data')),
  PORT: port(3000),
  HOST: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F:.]+$|^localhost$/, 'expected an IP address to listen on, such as 127.0.0.1 or 0.0.0.0')
      .optional(),
  ),
  EMULATOR_PORT: port(4599),
  AWS_REGION: region,
  SIGNIN_URL: url(['https:', 'http:'], 'the console federation endpoint URL, such as https://signin.aws.amazon.com/federation'),
  AWS_ENDPOINT_URL: endpoint,
  AWS_ENDPOINT_URL_SSO: endpoint,
  AWS_ENDPOINT_URL_SSO_OIDC: endpoint,
  AWS_ENDPOINT_URL_STS: endpoint,
  PUBLIC_URL: url(['https:', 'http:'], 'the URL people use to reach the portal, such as https://gatehouse.example.com'),
  SESSION_IDLE_MINUTES: minutes(60, 24 * 60),
  SESSION_MAX_HOURS: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'expected a whole number of hours from 1 to 24')
      .transform(Number)
      .refine((value) => value >= 1 && value <= 24, 'expected a whole number of hours from 1 to 24')
      .default(12),
  ),
  IDC_RATE_LIMIT: optionalString.pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'expected requests per second, a number from 0.1 to 1000')
      .transform(Number)
      .refine((value) => value >= 0.1 && value <= 1000, 'expected requests per second, a number from 0.1 to 1000')
      .default(10),
  ),
  IDC_MAX_CONCURRENCY: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'expected a whole number from 1 to 256')
      .transform(Number)
      .refine((value) => value >= 1 && value <= 256, 'expected a whole number from 1 to 256')
      .default(8),
  ),
  ACCOUNTS_CACHE_MINUTES: minutes(10, 24 * 60),
  TRUSTED_PROXY_COUNT: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'expected how many reverse proxies in front of the portal append to X-Forwarded-For: 0 to 5')
      .transform(Number)
      .refine((value) => value <= 5, 'expected how many reverse proxies in front of the portal append to X-Forwarded-For: 0 to 5')
      .default(0),
  ),
  TRUSTED_IDENTITY_HEADER: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name such as X-Forwarded-User')
      .transform((value) => value.toLowerCase())
      .optional(),
  ),
  LOG_LEVEL: optionalString.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
});

export interface IdentityCenterInstance {
  /** Stable key for everything stored per instance (registrations, caches, limiters, favorites). */
  id: string;
  startUrl: string;
  ssoRegion: string;
  endpoints: { sso?: string; ssoOidc?: string; sts?: string };
}

export interface ServerConfig {
  mode: 'demo' | 'production';
  host: string;
  port: number;
  dataDir: string;
  redisUrl?: string;
  /** Newest first; empty in demo mode until the session layer provides one. */
  sessionSecrets: string[];
  identityCenter: IdentityCenterInstance;
  /** Default region for consoles and exports (distinct from the SSO region). */
  defaultRegion: string;
  signinUrl: string;
  /** The portal's own URL when set; otherwise requests tell it. */
  publicUrl?: string;
  session: { idleTimeoutMs: number; absoluteTimeoutMs: number };
  /** Calls to Identity Center, per instance: requests per second (retries included) and in flight. */
  identityCenterLimits: { ratePerSecond: number; maxConcurrency: number };
  /** How long a person's account listing is kept before it is listed again. */
  accountsCacheMs: number;
  /** Reverse proxies in front whose X-Forwarded-For entries are trusted (0: use the connection's address). */
  trustedProxyCount: number;
  /** Header (lower case) in which an authenticating proxy names the person; must match Identity Center. */
  trustedIdentityHeader?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Set in demo mode: where the built-in emulator listens. */
  emulator?: { port: number; url: string };
}

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

export function instanceId(startUrl: string, ssoRegion: string): string {
  return createHash('sha256').update(`${startUrl}\n${ssoRegion}`).digest('hex').slice(0, 16);
}

/** Parses a raw environment (process.env or a test's object) into the server configuration. */
export function parseEnv(raw: Record<string, string | undefined>): ServerConfig {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        expected: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const demo = env.SSO_START_URL === undefined;

  if (!demo) {
    const missing: { variable: string; expected: string }[] = [];
    if (env.SSO_REGION === undefined) {
      missing.push({ variable: 'SSO_REGION', expected: 'required with SSO_START_URL: the region of your Identity Center, such as eu-west-1' });
    }
    if (env.SESSION_SECRET === undefined) {
      missing.push({
        variable: 'SESSION_SECRET',
        expected: 'required outside demo mode: one or more comma-separated secrets of at least 32 characters',
      });
    }
    if (missing.length > 0) throw new EnvError(missing);
  }

  const ssoRegion = env.SSO_REGION ?? DEMO_SSO_REGION;
  const startUrl = env.SSO_START_URL ?? DEMO_START_URL;
  const emulatorUrl = `http://127.0.0.1:${env.EMULATOR_PORT}`;
  // Demo mode talks to the built-in emulator unless the standard endpoint variables say otherwise.
  const fallbackEndpoint = env.AWS_ENDPOINT_URL ?? (demo ? emulatorUrl : undefined);

  return {
    mode: demo ? 'demo' : 'production',
    host: env.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    port: env.PORT,
    dataDir: path.resolve(env.DATA_DIR),
    redisUrl: env.REDIS_URL,
    sessionSecrets: env.SESSION_SECRET ?? [],
    identityCenter: {
      id: instanceId(startUrl, ssoRegion),
      startUrl,
      ssoRegion,
      endpoints: {
        sso: env.AWS_ENDPOINT_URL_SSO ?? fallbackEndpoint,
        ssoOidc: env.AWS_ENDPOINT_URL_SSO_OIDC ?? fallbackEndpoint,
        sts: env.AWS_ENDPOINT_URL_STS ?? fallbackEndpoint,
      },
    },
    defaultRegion: env.AWS_REGION ?? ssoRegion,
    signinUrl: env.SIGNIN_URL ?? (demo ? `${emulatorUrl}/federation` : 'https://signin.aws.amazon.com/federation'),
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    session: { idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000, absoluteTimeoutMs: env.SESSION_MAX_HOURS * 3_600_000 },
    identityCenterLimits: { ratePerSecond: env.IDC_RATE_LIMIT, maxConcurrency: env.IDC_MAX_CONCURRENCY },
    accountsCacheMs: env.ACCOUNTS_CACHE_MINUTES * 60_000,
    trustedProxyCount: env.TRUSTED_PROXY_COUNT,
    trustedIdentityHeader: env.TRUSTED_IDENTITY_HEADER,
    logLevel: env.LOG_LEVEL,
    emulator: demo ? { port: env.EMULATOR_PORT, url: emulatorUrl } : undefined,
  };
}

let cached: ServerConfig | undefined;

/** The configuration of this process, parsed once. */
export function getConfig(): ServerConfig {
  cached ??= parseEnv(process.env);
  return cached;
}
