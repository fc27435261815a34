/** The commands that hand out a role's credentials: credential-process, env, exec, serve, and console. */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';

import { formatCredentials, PROFILE_NAME_PATTERN } from '../../lib/shared/credential-text';
import { openInBrowser } from '../browser';
import { checkRoleOptions, type ChosenRole, chooseRole, type Context, forbiddenLine, type RoleOptions } from '../context';
import { type RoleCredentials, CredentialCache, startCredentialServer } from '../credential-server';
import { CliError, oneLine } from '../errors';
import { execEnvironment } from '../exec-env';
import { type EnvFormat, isEnvFormat, ENV_FORMAT_NAMES, portalFormat } from '../formats';
import type { PortalApi } from '../portal';
import { consoleSchema, type Credentials, credentialsSchema, isRegion, sessionSchema } from '../schemas';

export function checkRegion(region: string | undefined): string | undefined {
  if (region !== undefined && !isRegion(region)) throw new CliError(`--region takes an AWS region such as eu-west-1, not ${JSON.stringify(region)}.`, 2);
  return region;
}

async function roleApi(context: Context, options: RoleOptions) {
  checkRoleOptions(context, options);
  const target = context.target();
  const api = context.apiFor(target);
  const role = await chooseRole(context, api, options);
  return { api, role };
}

/** The role's credentials as JSON, checked against AWS's alphabets: every text is written from these, here. */
function credentialsOf(api: PortalApi, role: ChosenRole): Promise<Credentials> {
  return api.json('POST', '/api/cli/credentials', credentialsSchema, { body: { ...role }, forbidden: forbiddenLine(role) });
}

export async function credentialProcess(context: Context, options: RoleOptions): Promise<void> {
  const { api, role } = await roleApi(context, options);
  context.io.stdout.write(formatCredentials(await credentialsOf(api, role), 'process'));
}

export async function env(context: Context, options: RoleOptions & { format: string; region?: string; profileName?: string }): Promise<void> {
  if (!isEnvFormat(options.format)) {
    throw new CliError(`--format takes one of ${ENV_FORMAT_NAMES.join(', ')}, not ${JSON.stringify(options.format)}.`, 2);
  }
  const format: EnvFormat = options.format;
  const region = checkRegion(options.region);
  if (options.profileName !== undefined && !PROFILE_NAME_PATTERN.test(options.profileName)) {
    throw new CliError(`--profile-name takes a profile name (1 to 64 of A-Z a-z 0-9 . _ @ + -), not ${JSON.stringify(options.profileName)}.`, 2);
  }
  const { api, role } = await roleApi(context, options);
  const credentials = await credentialsOf(api, role);
  // The portal's own formatter, so the text is byte for byte what the portal writes; from values checked here.
  context.io.stdout.write(formatCredentials(credentials, portalFormat(format), { region, profileName: options.profileName }));
}

export async function exec(context: Context, options: RoleOptions & { region?: string }, command: string[]): Promise<number> {
  const [program, ...args] = command;
  if (!program) throw new CliError('Say what to run after --, as in `gatehouse exec --account ID --role NAME -- aws s3 ls`.', 2);
  const explicitRegion = checkRegion(options.region);
  const { api, role } = await roleApi(context, options);
  const inherited = context.io.env.AWS_REGION || context.io.env.AWS_DEFAULT_REGION || undefined;
  const credentials = await credentialsOf(api, role);
  // The instance's default region comes with the credentials (else with the session): never from a listing.
  const region = explicitRegion ?? inherited ?? credentials.region ?? (await api.json('GET', '/api/cli/session', sessionSchema)).instance.region;
  const child = spawn(program, args, { stdio: 'inherit', env: execEnvironment(context.io.env, credentials, region) as NodeJS.ProcessEnv });
  // Ctrl-C reaches the child from the terminal (same process group): this process only waits for it to
  // end, rather than send it a second SIGINT. A SIGTERM or SIGHUP sent to this process alone is passed on.
  const handlers = [
    ['SIGINT', () => undefined],
    ['SIGTERM', () => child.kill('SIGTERM')],
    ['SIGHUP', () => child.kill('SIGHUP')],
  ] as const;
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(new CliError(error.code === 'ENOENT' ? `${program}: command not found.` : `${program} could not be started (${error.code ?? error.message}).`, 127)),
      );
      child.once('exit', (code, signal) => {
        if (signal) resolve(128 + (osConstants.signals[signal] ?? 0));
        else resolve(code ?? 1);
      });
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}

export async function serve(context: Context, options: RoleOptions & { port?: string }): Promise<void> {
  let port = 0;
  if (options.port !== undefined) {
    port = Number(options.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new CliError(`--port takes a port number (1-65535), not ${JSON.stringify(options.port)}.`, 2);
  }
  const { api, role } = await roleApi(context, options);
  const { io } = context;
  const cache = new CredentialCache({
    fetch: async (): Promise<RoleCredentials> => {
      const answer = await credentialsOf(api, role);
      return { accessKeyId: answer.accessKeyId, secretAccessKey: answer.secretAccessKey, sessionToken: answer.sessionToken, expiration: new Date(answer.expiration) };
    },
    now: io.now,
    onRenewalError: (error) => io.stderr.write(`Renewing the credentials failed (trying again): ${oneLine(error instanceof Error ? error.message : String(error))}\n`),
  });
  // The first credentials before anything is printed: a role you do not have fails here, in one line.
  await cache.renew();
  let server;
  try {
    server = await startCredentialServer({
      cache,
      port,
      onError: (error) => io.stderr.write(`A request for credentials failed: ${oneLine(error instanceof Error ? error.message : String(error))}\n`),
    });
  } catch (error) {
    cache.stop();
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EADDRINUSE' ? `Port ${port} on 127.0.0.1 is in use.` : `The credentials endpoint could not start (${code ?? String(error)}).`);
  }
  io.stdout.write(`export AWS_CONTAINER_CREDENTIALS_FULL_URI=${server.url}\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN=${server.token}\n`);
  io.stderr.write(`Serving credentials for ${role.roleName} in ${role.accountId}, renewed before they expire. Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}

export async function openConsole(
  context: Context,
  options: RoleOptions & { region?: string; destination?: string; print?: boolean },
): Promise<void> {
  const region = checkRegion(options.region);
  const { api, role } = await roleApi(context, options);
  const body = { ...role, ...(region ? { region } : {}), ...(options.destination ? { destination: options.destination } : {}) };
  const answer = await api.json('POST', '/api/cli/console', consoleSchema, { body, forbidden: forbiddenLine(role) });
  // As the URL parser writes it: every character that could reach the terminal raw is percent-encoded.
  const url = new URL(answer.url).href;
  if (!options.print && openInBrowser(url, context.io.platform, context.io.env)) {
    context.io.stderr.write(`Opened the console for ${role.roleName} in ${role.accountId} in your browser.\n`);
    return;
  }
  context.io.stdout.write(`${url}\n`);
}
