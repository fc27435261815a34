/**
 * Podman for the container tests: commands run with the project's containers.conf (runc, cgroupfs),
 * the stand-in base image and the image build, and portal containers on the host's network.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { until } from '../support/api-session';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const CONTAINERS_CONF = fileURLToPath(new URL('../../scripts/container/containers.conf', import.meta.url));
export const IMAGE = 'localhost/gatehouse:container-test';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never throws for a non-zero exit (callers assert what they expect). */
export function run(command: string, args: string[], options: { cwd?: string } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: { ...process.env, CONTAINERS_CONF },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function podman(...args: string[]): Promise<Outcome> {
  return run('podman', args);
}

/** A podman command that must succeed; its standard output, trimmed. */
export async function podmanOk(...args: string[]): Promise<string> {
  const outcome = await podman(...args);
  if (outcome.code !== 0) throw new Error(`podman ${args.join(' ')} exited with ${outcome.code}:\n${outcome.stderr}${outcome.stdout}`);
  return outcome.stdout.trim();
}

/**
 * The stand-in base image (scripts/container/base-image.sh, a no-op when current), then the project's
 * Dockerfile with --pull=never: nothing comes from an image registry. Podman's layer cache is kept
 * between runs, so an unchanged tree builds in seconds.
 */
export async function buildImage(): Promise<void> {
  const base = await run('bash', ['scripts/container/base-image.sh']);
  if (base.code !== 0) throw new Error(`the stand-in base image failed:\n${base.stderr}${base.stdout}`);
  // Host networking: the build's apt-get and npm ci reach Debian and the npm registry as this machine does.
  // Docker's image format: the OCI format has no HEALTHCHECK.
  const build = await podman('build', '--pull=never', '--format', 'docker', '--network', 'host', '--layers', '--tag', IMAGE, '--file', 'Dockerfile', '.');
  if (build.code !== 0) throw new Error(`podman build failed:\n${build.stdout.slice(-4000)}${build.stderr.slice(-4000)}`);
}

export interface Container {
  name: string;
  url: string;
  logs(): Promise<string>;
}

/** Whether the container is running, from podman's own state. */
export async function isRunning(name: string): Promise<boolean> {
  return (await podmanOk('container', 'inspect', '--format', '{{.State.Running}}', name)) === 'true';
}

/**
 * Starts a portal container on the host's network (so it reaches the emulator on loopback) listening on
 * 127.0.0.1:`port`, and waits for /api/health; fails with its logs when it stops first.
 */
export async function startContainer(options: {
  name: string;
  port: number;
  env: Record<string, string>;
  volume?: string;
}): Promise<Container> {
  const env = { ...options.env, PORT: String(options.port), HOSTNAME: '127.0.0.1' };
  await podmanOk(
    'run',
    '--detach',
    '--name',
    options.name,
    '--network',
    'host',
    ...(options.volume ? ['--volume', `${options.volume}:/data`] : []),
    ...Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    IMAGE,
  );
  const url = `http://127.0.0.1:${options.port}`;
  const logs = async () => {
    const outcome = await podman('logs', options.name);
    return outcome.stdout + outcome.stderr;
  };
  await until(
    `${options.name} to answer /api/health`,
    async () => {
      if (!(await isRunning(options.name))) throw new Error(`${options.name} stopped before it was healthy:\n${await logs()}`);
      const response = await fetch(`${url}/api/health`).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return { name: options.name, url, logs };
}

/**
 * Removes containers and volumes that may or may not exist (clean-up after a failed test as well); a
 * container's anonymous volumes (the image's VOLUME /data when none was mounted) go with it.
 */
export async function removeQuietly(kind: 'container' | 'volume', ...names: string[]): Promise<void> {
  for (const name of names) await podman(kind, 'rm', '--force', ...(kind === 'container' ? ['--volumes'] : []), name);
}
