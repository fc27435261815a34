import 'server-only';

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startUrlLabel } from '@/lib/shared/aws-config';
import { DEMO_SSO_REGION, DEMO_START_URL } from '@/lib/shared/demo';
import { partitionOf } from '@/lib/shared/partitions';

import { EnvError } from './config-error';
import { type Environment, envSchema } from './env-schema';
import { keyOf, readConfigFile } from './instances-file';

export { EnvError } from './config-error';

/**
 * The portal's configuration: the only reader of process.env. The variables are parsed by
 * env-schema.ts, the instances file by instances-file.ts; this puts them together, applies the
 * defaults of the mode (demo or production) and the partition rules, and stops start-up with a
 * message naming every variable or field that is wrong.
 */

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
  session: { idleTimeoutMs: number; absoluteTimeoutMs: number; terminalMaxMs?: number };
  /** Calls to Identity Center, per instance: requests per second (retries included) and in flight. */
  identityCenterLimits: { ratePerSecond: number; maxConcurrency: number };
  /** How long a person's account listing is kept before it is listed again. */
  accountsCacheMs: number;
  /** How old a person's kept listing may be to be shown at once on their next visit (0: never kept past accountsCacheMs). */
  listingMaxAgeMs: number;
  /** Reverse proxies in front whose X-Forwarded-For entries are trusted (0: use the connection's address). */
  trustedProxyCount: number;
  /** Header (lower case) in which an authenticating proxy names the person; must match Identity Center. */
  trustedIdentityHeader?: string;
  logLevel: Environment['LOG_LEVEL'];
  /**
   * Where Prometheus scrapes: a listener of its own (`port`, on `host`, loopback unless told), and/or
   * /api/metrics on the portal's port, only for requests that carry `token`. Neither: no metrics.
   */
  metrics: { port?: number; host: string; token?: string };
  /** Set in demo mode: where the built-in emulator listens. */
  emulator?: { port: number; url: string };
}

export function instanceId(startUrl: string, ssoRegion: string): string {
  return createHash('sha256').update(`${startUrl}\n${ssoRegion}`).digest('hex').slice(0, 16);
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
    session: {
      idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: env.SESSION_MAX_HOURS * 3_600_000,
      terminalMaxMs: env.TERMINAL_MAX_HOURS === undefined ? undefined : env.TERMINAL_MAX_HOURS * 3_600_000,
    },
    identityCenterLimits: { ratePerSecond: env.IDC_RATE_LIMIT, maxConcurrency: env.IDC_MAX_CONCURRENCY },
    accountsCacheMs: env.ACCOUNTS_CACHE_MINUTES * 60_000,
    listingMaxAgeMs: env.LISTING_MAX_AGE_HOURS * 3_600_000,
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
