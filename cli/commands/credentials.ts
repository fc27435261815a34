/** The commands that hand out a role's credentials: credential-process, env, exec, serve, and console. */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';

import { openInBrowser } from '../browser';
import { checkRoleOptions, chooseRole, type Context, forbiddenLine, type RoleOptions } from '../context';
import { type RoleCredentials, CredentialCache, startCredentialServer } from '../credential-server';
import { CliError } from '../errors';
import { execEnvironment } from '../exec-env';
import { type EnvFormat, isEnvFormat, ENV_FORMAT_NAMES, portalFormat } from '../formats';
import type { PortalApi } from '../portal';
import { configProfilesSchema, consoleSchema, credentialsSchema, profileNameSchema, REGION_PATTERN, sessionSchema } from '../schemas';


function checkRegion(region: string | undefined): string | undefined {
  if (region !== undefined && !REGION_PATTERN.test(region)) throw new CliError(`--region takes an AWS region such as eu-west-1, not ${JSON.stringify(region)}.`, 2);
  return region;
}

async function roleApi(context: Context, options: RoleOptions) {
  checkRoleOptions(context, options);
  const target = context.target();
  const api = context.apiFor(target);
  const role = await chooseRole(context, api, options);
  return { api, role };
}

export async function credentialProcess(context: Context, options: RoleOptions): Promise<void> {
  const { api, role } = await roleApi(context, options);
  const text = await api.text('POST', '/api/cli/credentials', { query: { format: 'process' }, body: { ...role }, forbidden: forbiddenLine(role) });
  context.io.stdout.write(text);
}

export async function env(context: Context, options: RoleOptions & { format: string; region?: string; profileName?: string }): Promise<void> {
  if (!isEnvFormat(options.format)) {
    throw new CliError(`--format takes one of ${ENV_FORMAT_NAMES.join(', ')}, not ${JSON.stringify(options.format)}.`, 2);
  }
  const format: EnvFormat = options.format;
  const region = checkRegion(options.region);
  if (options.profileName !== undefined && !profileNameSchema.safeParse(options.profileName).success) {
    throw new CliError(`--profile-name takes a profile name (letters, digits and _.@+=,:/-), not ${JSON.stringify(options.profileName)}.`, 2);
  }
  const { api, role } = await roleApi(context, options);
  const body = { ...role, ...(region ? { region } : {}), ...(options.profileName ? { profileName: options.profileName } : {}) };
  const text = await api.text('POST', '/api/cli/credentials', { query: { format: portalFormat(format) }, body, forbidden: forbiddenLine(role) });
  context.io.stdout.write(text);
}

/** The region a command runs in when none is given: the instance's default, as the portal says. */
async function portalRegion(api: PortalApi): Promise<string | undefined> {
  const session = await api.json('GET', '/api/cli/session', sessionSchema);
  if (session.instance.region) return session.instance.region;
  return (await api.json('GET', '/api/cli/aws-config-profiles', configProfilesSchema)).region;
}

export async function exec(context: Context, options: RoleOptions & { region?: string }, command: string[]): Promise<number> {
  const [program, ...args] = command;
  if (!program) throw new CliError('Say what to run after --, as in `gatehouse exec --account ID --role NAME -- aws s3 ls`.', 2);
  const explicitRegion = checkRegion(options.region);
  const { api, role } = await roleApi(context, options);
  const inherited = context.io.env.AWS_REGION || context.io.env.AWS_DEFAULT_REGION || undefined;
  const [credentials, region] = await Promise.all([
    api.json('POST', '/api/cli/credentials', credentialsSchema, { body: { ...role }, forbidden: forbiddenLine(role) }),
    explicitRegion ?? inherited ?? portalRegion(api),
  ]);
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
      const answer = await api.json('POST', '/api/cli/credentials', credentialsSchema, { body: { ...role }, forbidden: forbiddenLine(role) });
      return { ...answer, expiration: new Date(answer.expiration) };
    },
    now: io.now,
    onRenewalError: (error) => io.stderr.write(`Renewing the credentials failed (trying again): ${error instanceof Error ? error.message : String(error)}\n`),
  });
  // The first credentials before anything is printed: a role you do not have fails here, in one line.
  await cache.renew();
  let server;
  try {
    server = await startCredentialServer({
      cache,
      port,
      onError: (error) => io.stderr.write(`A request for credentials failed: ${error instanceof Error ? error.message : String(error)}\n`),
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
  const { url } = await api.json('POST', '/api/cli/console', consoleSchema, { body, forbidden: forbiddenLine(role) });
  if (!options.print && openInBrowser(url, context.io.platform, context.io.env)) {
    context.io.stderr.write(`Opened the console for ${role.roleName} in ${role.accountId} in your browser.\n`);
    return;
  }
  context.io.stdout.write(`${url}\n`);
}
