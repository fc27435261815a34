import 'server-only';

import { z } from 'zod';

import { addressVariable, numberVariable, optionalString, regionVariable, urlVariable } from './env-values';

/**
 * Every environment variable of the contract, parsed with zod. Defaults that depend on the mode
 * (demo or production) are applied in config.ts; the rest are applied here.
 */

const endpoint = urlVariable(['http:', 'https:'], 'an http(s) URL such as https://portal.sso.eu-west-1.amazonaws.com');
const port = numberVariable({ min: 1, max: 65535 });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const envSchema = z.object({
  GATEHOUSE_CONFIG: optionalString,
  SSO_START_URL: urlVariable(['https:'], 'the https start URL of your Identity Center, such as https://d-1234567890.awsapps.com/start'),
  SSO_REGION: regionVariable,
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
  REDIS_URL: urlVariable(['redis:', 'rediss:'], 'a redis:// or rediss:// URL such as redis://127.0.0.1:6379'),
  DATA_DIR: optionalString.pipe(z.string().default('.data')),
  PORT: port.transform((value) => value ?? 3000),
  HOST: addressVariable('to listen on'),
  EMULATOR_PORT: port.transform((value) => value ?? 4599),
  AWS_REGION: regionVariable,
  SIGNIN_URL: urlVariable(['https:', 'http:'], 'the console federation endpoint URL, such as https://signin.aws.amazon.com/federation'),
  AWS_ENDPOINT_URL: endpoint,
  AWS_ENDPOINT_URL_SSO: endpoint,
  AWS_ENDPOINT_URL_SSO_OIDC: endpoint,
  AWS_ENDPOINT_URL_STS: endpoint,
  PUBLIC_URL: urlVariable(['https:', 'http:'], 'the URL people use to reach the portal, such as https://gatehouse.example.com').refine(
    (value) => value === undefined || new URL(value).pathname === '/',
    'expected the URL people use to reach the portal, scheme, host and port only (no path), such as https://gatehouse.example.com',
  ),
  SESSION_IDLE_MINUTES: numberVariable({ min: 1, max: 24 * 60, unit: 'minutes' }).transform((value) => value ?? 60),
  SESSION_MAX_HOURS: numberVariable({ min: 1, max: 24, unit: 'hours' }).transform((value) => value ?? 12),
  // Unset: a terminal's session lasts as long as the Identity Center session lets it be refreshed.
  TERMINAL_MAX_HOURS: numberVariable({ min: 1, max: 90 * 24, unit: 'hours' }),
  IDC_RATE_LIMIT: numberVariable({ min: 0.1, max: 1000, decimal: true, expected: 'expected requests per second, a number from 0.1 to 1000' }).transform(
    (value) => value ?? 10,
  ),
  IDC_MAX_CONCURRENCY: numberVariable({ min: 1, max: 256 }).transform((value) => value ?? 8),
  ACCOUNTS_CACHE_MINUTES: numberVariable({ min: 1, max: 24 * 60, unit: 'minutes' }).transform((value) => value ?? 10),
  LISTING_MAX_AGE_HOURS: numberVariable({ min: 0, max: 24 * 30, unit: 'hours' }).transform((value) => value ?? 24),
  TRUSTED_PROXY_COUNT: numberVariable({
    min: 0,
    max: 5,
    expected: 'expected how many reverse proxies in front of the portal append to X-Forwarded-For: 0 to 5',
  }).transform((value) => value ?? 0),
  TRUSTED_IDENTITY_HEADER: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'expected an HTTP header name such as X-Forwarded-User')
      .transform((value) => value.toLowerCase())
      .optional(),
  ),
  METRICS_PORT: port,
  METRICS_HOST: addressVariable('for the metrics listener').transform((value) => value ?? '127.0.0.1'),
  METRICS_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._~+/=-]{32,256}$/,
        'expected a bearer token of 32 to 256 characters (letters, digits and ._~+/=-), for example from `openssl rand -hex 32`',
      )
      .optional(),
  ),
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info')),
});

export type Environment = z.infer<typeof envSchema>;
