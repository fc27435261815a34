import 'server-only';

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

import { startUrlLabel } from '@/lib/shared/aws-config';
import { DEMO_SSO_REGION, DEMO_START_URL } from '@/lib/shared/demo';
import { INSTANCE_KEY_PATTERN } from '@/lib/shared/instances';
import { partitionOf, REGION_PATTERN } from '@/lib/shared/partitions';

/**
 * The only reader of process.env. Every variable of the contract is parsed here with zod;
 * a bad value stops start-up with a message that names the variable and what it expects.
 */

const AWS_REGION_PATTERN = REGION_PATTERN;

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
  GATEHOUSE_CONFIG: optionalString,
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
  PUBLIC_URL: url(['https:', 'http:'], 'the URL people use to reach the portal, such as https://gatehouse.example.com').refine(
    (value) => value === undefined || new URL(value).pathname === '/',
    'expected the URL people use to reach the portal, scheme, host and port only (no path), such as https://gatehouse.example.com',
  ),
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
  METRICS_PORT: optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, 'expected a whole number from 1 to 65535')
      .transform(Number)
      .refine((value) => value >= 1 && value <= 65535, 'expected a whole number from 1 to 65535')
      .optional(),
  ),
  METRICS_HOST: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F:.]+$|^localhost$/, 'expected an IP address for the metrics listener, such as 127.0.0.1 or 0.0.0.0')
      .default('127.0.0.1'),
  ),
  METRICS_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9._~+/=-]{32,256}$/, 'expected a bearer token of 32 to 256 characters (letters, digits and ._~+/=-), for example from `openssl rand -hex 32`')
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
  /** Short name in URLs (`?instance=sandbox`) and cookie names; `default` for the environment's one. */
  key: string;
  /** What people see: "Production", "Sandbox". */
  name: string;
  startUrl: string;
  ssoRegion: string;
  /** Default region for consoles and exports (distinct from the SSO region). */
  consoleRegion: string;
  /** Account id → the name people know it by, shown beside Identity Center's account name. */
  nicknames: Readonly<Record<string, string>>;
  endpoints: { sso?: string; ssoOidc?: string; sts?: string };
  /** The console federation endpoint for this instance's partition. */
  signinUrl: string;
}

/** The key of the instance configured by environment variables alone. */
export const DEFAULT_INSTANCE_KEY = 'default';

export interface ServerConfig {
  mode: 'demo' | 'production';
  host: string;
  port: number;
  dataDir: string;
  redisUrl?: string;
  /** Newest first; empty in demo mode until the session layer provides one. */
  sessionSecrets: string[];
  /** In the order configured; the first is where a person lands when a request names none. */
  instances: readonly [IdentityCenterInstance, ...IdentityCenterInstance[]];
  /**
   * The URL people reach the portal at (PUBLIC_URL; in demo mode the listening address by default).
   * It names the portal on Identity Center's approval page, is the console's Issuer, and is the only
   * origin state-changing requests are accepted from. Never taken from a request's Host header.
   */
  publicUrl: string;
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
  /**
   * Where Prometheus scrapes: a listener of its own (`port`, on `host`, loopback unless told), and/or
   * /api/metrics on the portal's port, only for requests that carry `token`. Neither: no metrics.
   */
  metrics: { port?: number; host: string; token?: string };
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

const REGION_EXPECTED = 'expected an AWS region such as us-east-1 or eu-west-2';
const regionValue = z.string({ error: REGION_EXPECTED }).regex(AWS_REGION_PATTERN, REGION_EXPECTED);

function urlValue(protocols: readonly string[], what: string) {
  return z
    .string({ error: `expected ${what}` })
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `expected ${what}`);
}

const endpointValue = urlValue(['http:', 'https:'], 'an http(s) URL such as https://portal.sso.eu-west-1.amazonaws.com');

/** One Identity Center instance in the file named by GATEHOUSE_CONFIG. */
const instanceFileSchema = z
  .object({
    key: z
      .string()
      .regex(INSTANCE_KEY_PATTERN, 'expected a short name of lower-case letters, digits and hyphens, such as sandbox')
      .optional(),
    name: z
      .string({ error: 'expected a name people recognise, such as Production' })
      .trim()
      .min(1, 'expected a name people recognise, such as Production').max(60, 'expected at most 60 characters'),
    startUrl: urlValue(['https:'], 'the https start URL of the Identity Center, such as https://d-1234567890.awsapps.com/start'),
    ssoRegion: regionValue,
    consoleRegion: regionValue.optional(),
    accountNicknames: z
      .record(
        z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
        z.string().trim().min(1, 'expected a nickname').max(64, 'expected at most 64 characters'),
      )
      .optional(),
    endpointUrl: endpointValue.optional(),
    endpoints: z.object({ sso: endpointValue.optional(), ssoOidc: endpointValue.optional(), sts: endpointValue.optional() }).strict().optional(),
    signinUrl: urlValue(['https:', 'http:'], 'the console federation endpoint URL, such as https://signin.aws.amazon.com/federation').optional(),
  })
  .strict();

export const configFileSchema = z
  .object({
    instances: z
      .array(instanceFileSchema, { error: 'expected a list of instances, each with a name, startUrl and ssoRegion' })
      .min(1, 'expected at least one instance')
      .max(20, 'expected at most 20 instances'),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;

/** The URL-safe key of an instance: given, or made from its name. */
function keyOf(entry: ConfigFile['instances'][number], index: number): string {
  if (entry.key) return entry.key;
  const slug = entry.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug || `instance-${index + 1}`;
}

/** Reads and validates the instances file; every problem names the file and the field. */
function readConfigFile(file: string, readFile: (file: string) => string): ConfigFile {
  const fail = (expected: string) => new EnvError([{ variable: 'GATEHOUSE_CONFIG', expected: `${file}: ${expected}` }]);
  let text = '';
  try {
    text = readFile(path.resolve(file));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    throw fail(`could not read the file (${code}); expected the path of a JSON or YAML file listing the instances`);
  }
  let document: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'linePos' in error && Array.isArray(error.linePos) ? error.linePos[0] : undefined;
    const at = line && typeof line === 'object' && 'line' in line ? ` (line ${String(line.line)})` : '';
    throw fail(`is not valid JSON or YAML${at}`);
  }
  const parsed = configFileSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    // A bad record key (an account id) carries its own reason one level down.
    const message = issue?.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue?.message;
    throw fail(`${where}${message ?? 'expected { instances: [...] }'}`);
  }
  return parsed.data;
}

/**
 * Parses a raw environment (process.env or a test's object) into the server configuration.
 * `readFile` reads the GATEHOUSE_CONFIG file; tests pass their own.
 */
export function parseEnv(
  raw: Record<string, string | undefined>,
  readFile: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): ServerConfig {
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
  const demo = env.SSO_START_URL === undefined && env.GATEHOUSE_CONFIG === undefined;

  if (!demo) {
    const problems: { variable: string; expected: string }[] = [];
    if (env.GATEHOUSE_CONFIG !== undefined && (env.SSO_START_URL !== undefined || env.SSO_REGION !== undefined)) {
      problems.push({
        variable: env.SSO_START_URL !== undefined ? 'SSO_START_URL' : 'SSO_REGION',
        expected: 'unset when GATEHOUSE_CONFIG lists the instances: configure one instance in the environment, or all of them in the file',
      });
    }
    if (env.GATEHOUSE_CONFIG === undefined && env.SSO_REGION === undefined) {
      problems.push({ variable: 'SSO_REGION', expected: 'required with SSO_START_URL: the region of your Identity Center, such as eu-west-1' });
    }
    if (env.PUBLIC_URL === undefined) {
      problems.push({
        variable: 'PUBLIC_URL',
        expected: 'required outside demo mode: the URL people use to reach the portal, such as https://gatehouse.example.com',
      });
    }
    if (env.SESSION_SECRET === undefined) {
      problems.push({
        variable: 'SESSION_SECRET',
        expected: 'required outside demo mode: one or more comma-separated secrets of at least 32 characters',
      });
    }
    if (problems.length > 0) throw new EnvError(problems);
  }

  const emulatorUrl = `http://127.0.0.1:${env.EMULATOR_PORT}`;
  // Demo mode talks to the built-in emulator unless the standard endpoint variables say otherwise.
  const fallbackEndpoint = env.AWS_ENDPOINT_URL ?? (demo ? emulatorUrl : undefined);
  // Outside demo mode, without SIGNIN_URL: the federation endpoint of each instance's partition.
  const signinUrl = env.SIGNIN_URL ?? (demo ? `${emulatorUrl}/federation` : undefined);

  let instances: [IdentityCenterInstance, ...IdentityCenterInstance[]];
  if (env.GATEHOUSE_CONFIG !== undefined) {
    const file = readConfigFile(env.GATEHOUSE_CONFIG, readFile);
    const built = file.instances.map((entry, index): IdentityCenterInstance => {
      const shared = entry.endpointUrl ?? fallbackEndpoint;
      const field = (name: string) => ({ variable: 'GATEHOUSE_CONFIG', prefix: `${env.GATEHOUSE_CONFIG}: instances.${index}.${name}: ` });
      const partition = partitionChecked(
        { region: entry.ssoRegion, ...field('ssoRegion') },
        entry.consoleRegion !== undefined
          ? { region: entry.consoleRegion, ...field('consoleRegion') }
          : { region: env.AWS_REGION ?? entry.ssoRegion, variable: 'AWS_REGION', prefix: `the default console region of instance ${index} ("${entry.name}"): ` },
        { url: entry.signinUrl ?? signinUrl, ...field('signinUrl') },
      );
      return {
        id: instanceId(entry.startUrl, entry.ssoRegion),
        key: keyOf(entry, index),
        name: entry.name,
        startUrl: entry.startUrl,
        ssoRegion: entry.ssoRegion,
        consoleRegion: partition.consoleRegion,
        nicknames: entry.accountNicknames ?? {},
        endpoints: {
          sso: entry.endpoints?.sso ?? (entry.endpointUrl ? shared : (env.AWS_ENDPOINT_URL_SSO ?? shared)),
          ssoOidc: entry.endpoints?.ssoOidc ?? (entry.endpointUrl ? shared : (env.AWS_ENDPOINT_URL_SSO_OIDC ?? shared)),
          sts: entry.endpoints?.sts ?? (entry.endpointUrl ? shared : (env.AWS_ENDPOINT_URL_STS ?? shared)),
        },
        signinUrl: partition.signinUrl,
      };
    });
    const duplicate = (values: string[]) => values.find((value, index) => values.indexOf(value) !== index);
    const sameKey = duplicate(built.map((instance) => instance.key));
    const sameInstance = duplicate(built.map((instance) => instance.id));
    if (sameKey !== undefined || sameInstance !== undefined) {
      throw new EnvError([
        {
          variable: 'GATEHOUSE_CONFIG',
          expected:
            sameKey !== undefined
              ? `${env.GATEHOUSE_CONFIG}: every instance needs its own key; "${sameKey}" is used twice (set "key" to tell them apart)`
              : `${env.GATEHOUSE_CONFIG}: an instance (start URL and SSO region) is listed twice`,
        },
      ]);
    }
    instances = built as [IdentityCenterInstance, ...IdentityCenterInstance[]];
  } else {
    const ssoRegion = env.SSO_REGION ?? DEMO_SSO_REGION;
    const startUrl = env.SSO_START_URL ?? DEMO_START_URL;
    const partition = partitionChecked(
      { region: ssoRegion, variable: 'SSO_REGION', prefix: '' },
      { region: env.AWS_REGION ?? ssoRegion, variable: 'AWS_REGION', prefix: '' },
      { url: signinUrl, variable: 'SIGNIN_URL', prefix: '' },
    );
    instances = [
      {
        id: instanceId(startUrl, ssoRegion),
        key: DEFAULT_INSTANCE_KEY,
        name: demo ? 'Demo organisation' : (startUrlLabel(startUrl) ?? startUrl),
        startUrl,
        ssoRegion,
        consoleRegion: partition.consoleRegion,
        nicknames: {},
        endpoints: {
          sso: env.AWS_ENDPOINT_URL_SSO ?? fallbackEndpoint,
          ssoOidc: env.AWS_ENDPOINT_URL_SSO_OIDC ?? fallbackEndpoint,
          sts: env.AWS_ENDPOINT_URL_STS ?? fallbackEndpoint,
        },
        signinUrl: partition.signinUrl,
      },
    ];
  }

  const host = env.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0');
  return {
    mode: demo ? 'demo' : 'production',
    host,
    publicUrl: env.PUBLIC_URL === undefined ? listeningUrl(host, env.PORT) : new URL(env.PUBLIC_URL).origin,
    port: env.PORT,
    dataDir: path.resolve(env.DATA_DIR),
    redisUrl: env.REDIS_URL,
    sessionSecrets: env.SESSION_SECRET ?? [],
    instances,
    session: { idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000, absoluteTimeoutMs: env.SESSION_MAX_HOURS * 3_600_000 },
    identityCenterLimits: { ratePerSecond: env.IDC_RATE_LIMIT, maxConcurrency: env.IDC_MAX_CONCURRENCY },
    accountsCacheMs: env.ACCOUNTS_CACHE_MINUTES * 60_000,
    trustedProxyCount: env.TRUSTED_PROXY_COUNT,
    trustedIdentityHeader: env.TRUSTED_IDENTITY_HEADER,
    logLevel: env.LOG_LEVEL,
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST, token: env.METRICS_TOKEN },
    emulator: demo ? { port: env.EMULATOR_PORT, url: emulatorUrl } : undefined,
  };
}

/** The demo's public URL: where it listens, as a browser on this machine reaches it. */
function listeningUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * The partition rules of one instance: its SSO region's partition must have a public console, its
 * console region must be in that partition (role credentials work nowhere else), and its console
 * federation endpoint is the partition's own unless configured. Where the endpoint is not known
 * (the European Sovereign Cloud), it must be configured rather than guessed. Each setting says what
 * a problem with it names: the variable, and for the instances file the field.
 */
function partitionChecked(
  sso: { region: string; variable: string; prefix: string },
  consoleSetting: { region: string; variable: string; prefix: string },
  signin: { url: string | undefined; variable: string; prefix: string },
): { consoleRegion: string; signinUrl: string } {
  const partition = partitionOf(sso.region);
  const problems: { variable: string; expected: string }[] = [];
  if (partition.consoleHost === undefined) {
    problems.push({
      variable: sso.variable,
      expected: `${sso.prefix}${sso.region} is in the ${partition.id} partition, whose console is not public; expected a region of the aws, aws-us-gov, aws-cn or aws-eusc partition`,
    });
  } else if (partitionOf(consoleSetting.region).id !== partition.id) {
    problems.push({
      variable: consoleSetting.variable,
      expected: `${consoleSetting.prefix}${consoleSetting.region} is in the ${partitionOf(consoleSetting.region).id} partition, but the Identity Center region ${sso.region} is in ${partition.id}; expected a console region of the ${partition.id} partition`,
    });
  }
  const signinUrl = signin.url ?? partition.signinUrl;
  if (signinUrl === undefined && partition.consoleHost !== undefined) {
    problems.push({
      variable: signin.variable,
      expected: `${signin.prefix}required for ${sso.region} (the ${partition.id} partition), whose console federation endpoint is not built in: the federation URL of that partition's AWS sign-in, ending in /federation`,
    });
  }
  if (problems.length > 0 || signinUrl === undefined) throw new EnvError(problems);
  return { consoleRegion: consoleSetting.region, signinUrl };
}

/** The instance with this key, if it is configured. */
export function findInstance(config: ServerConfig, key: string): IdentityCenterInstance | undefined {
  return config.instances.find((instance) => instance.key === key);
}

let cached: ServerConfig | undefined;

/** The configuration of this process, parsed once. */
export function getConfig(): ServerConfig {
  cached ??= parseEnv(process.env);
  return cached;
}
