/**
 * The `gatehouse` command as people get it, for tests and the bench: installed with npm from the
 * portal's own /cli/gatehouse.tgz into a private prefix, and run as a child process in a home of its
 * own (HOME, XDG_CONFIG_HOME, AWS_CONFIG_FILE), with only 127.0.0.1 reachable (every other address
 * goes to a proxy that is not there).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';


const execFileAsync = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InstalledCli {
  /** The npm prefix it is installed in; its bin/ is on the command's PATH. */
  prefix: string;
  binDir: string;
  /** The bin link npm made (`<prefix>/bin/gatehouse`). */
  bin: string;
  remove(): void;
}

/** A closed port on this machine: npm's registry and the proxy for every non-local address, so nothing leaves it. */
const NOWHERE = 'http://127.0.0.1:9';

/** Installs the package the portal serves, without the registry (it has no dependencies). */
export async function installFromPortal(portalUrl: string): Promise<InstalledCli> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-prefix-'));
  await execFileAsync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--registry', NOWHERE, `${portalUrl}/cli/gatehouse.tgz`], {
    env: {
      PATH: process.env.PATH,
      HOME: prefix,
      npm_config_cache: path.join(prefix, '.npm-cache'),
      npm_config_update_notifier: 'false',
      NODE_ENV: 'test',
    },
    timeout: 120_000,
  });
  const binDir = path.join(prefix, 'bin');
  return { prefix, binDir, bin: path.join(binDir, 'gatehouse'), remove: () => rmSync(prefix, { recursive: true, force: true }) };
}

export interface CliHome {
  home: string;
  configDir: string;
  awsConfig: string;
  /** The environment every command of the test runs in. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A home of its own; `gatehouse` (from `cli`) and the AWS CLI on PATH; nothing of this machine's AWS set-up. */
export function cliHome(cli: InstalledCli, extra: Record<string, string> = {}): CliHome {
  const home = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-home-'));
  const awsConfig = path.join(home, '.aws', 'config');
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    PATH: [cli.binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    HTTP_PROXY: NOWHERE,
    HTTPS_PROXY: NOWHERE,
    NO_PROXY: '127.0.0.1,localhost',
    ...extra,
  };
  return { home, configDir: path.join(home, '.config', 'gatehouse'), awsConfig, env, remove: () => rmSync(home, { recursive: true, force: true }) };
}

/** Runs a command to its end; never throws for a non-zero exit. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, options: { timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export function gatehouse(home: CliHome, args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  return runCommand('gatehouse', args, { ...home.env, ...options.env }, options);
}

export interface StartedLogin {
  /** The link the person opens: the portal's page where they confirm the terminal. */
  link: string;
  /** The words it prints, which that page shows too. */
  words: string;
  /** The command's end: its exit code and everything it printed. */
  finished: Promise<CliResult>;
}

/** Starts `gatehouse login --portal URL` (with `extraArgs`, --no-browser by default) and waits for the link and words it prints. */
export async function startLogin(home: CliHome, portalUrl: string, extraArgs: string[] = ['--no-browser']): Promise<StartedLogin> {
  const child: ChildProcess = spawn('gatehouse', ['login', '--portal', portalUrl, ...extraArgs], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const finished = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    }),
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    const link = /^Open (\S+)$/m.exec(stderr)?.[1];
    const words = /the words ([a-z]+ [a-z]+ [a-z]+)/.exec(stderr)?.[1];
    if (link && words) return { link, words, finished };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gatehouse login printed no link: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
