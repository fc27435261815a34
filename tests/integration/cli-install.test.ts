import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import rootPackage from '../../package.json';
import { runCommand } from '../support/gatehouse-cli';

/**
 * Installing the `gatehouse` command as people install tools: as a normal Linux user (made by the
 * test with useradd, the commands run with runuser), the global `npm install -g` fails with EACCES,
 * and the lines the Terminal page shows (npm into ~/.local, or the single file) install a command
 * that runs, with nothing but the user's own home written.
 */

/** A closed port on this machine, as npm's registry: the package has no dependency to fetch. */
const NOWHERE = 'http://127.0.0.1:9';

const decodeHtml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_entity, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" })[name] ?? '');

describe('installing the command without root', () => {
  const user = `gh${randomBytes(4).toString('hex')}`;
  const home = `/home/${user}`;
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let page: string;

  /** The command the Terminal page shows under `name` (data-command), as the page writes it. */
  const shown = (name: string): string => {
    const match = new RegExp(`data-command="${name}"[^>]*><code[^>]*>([^<]+)</code>`).exec(page);
    if (!match?.[1]) throw new Error(`the Terminal page shows no ${name} command`);
    return decodeHtml(match[1]);
  };

  /** Runs `script` in bash as the test's user, in a login shell (the user's own ~/.profile), with npm kept off the network. */
  const asUser = (script: string) =>
    runCommand(
      'runuser',
      ['-u', user, '--', 'env', '-i', `HOME=${home}`, `USER=${user}`, 'PATH=/usr/bin:/bin', `npm_config_registry=${NOWHERE}`, 'npm_config_update_notifier=false', 'npm_config_fund=false', 'npm_config_audit=false', 'bash', '-lc', script],
      { NODE_ENV: 'test', PATH: process.env.PATH },
      { timeoutMs: 120_000 },
    );

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', user]);
    const response = await fetch(`${portal.url}/terminal`);
    expect(response.status).toBe(200);
    page = await response.text();
  });
  afterAll(async () => {
    execFileSync('userdel', ['--remove', user], { stdio: 'ignore' });
    await portal?.stop();
    await emulator?.close();
  });

  it('runs as a user who is not root', async () => {
    const id = await asUser('id -u');
    expect(Number(id.stdout.trim())).toBeGreaterThan(0);
  });

  it('a global `npm install -g <portal>/cli/gatehouse.tgz` fails with EACCES for that user', { timeout: 120_000 }, async () => {
    const result = await asUser(`npm install -g ${portal.url}/cli/gatehouse.tgz`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('EACCES');
  });

  it('the page\'s npm line installs into ~/.local, and the command runs from ~/.local/bin', { timeout: 120_000 }, async () => {
    const install = shown('install-npm');
    expect(install).toBe(`npm install -g --prefix ~/.local ${portal.url}/cli/gatehouse.tgz`);
    const result = await asUser(install);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(`${home}/.local/bin/gatehouse`).uid).toBe(Number((await asUser('id -u')).stdout.trim()));
    // A login shell finds it (Debian's ~/.profile puts ~/.local/bin on PATH once it exists); the page's PATH line does the same for others.
    expect((await asUser('gatehouse --version')).stdout.trim()).toBe(rootPackage.version);
    const pathLine = shown('path-bash');
    expect((await asUser(`${pathLine} && env -i HOME=${home} PATH=/usr/bin:/bin bash -ic 'command -v gatehouse' 2>/dev/null`)).stdout.trim()).toBe(`${home}/.local/bin/gatehouse`);
    expect((await asUser('gatehouse completion bash')).stdout).toContain('complete -o default -F _gatehouse gatehouse');
    await asUser('rm -rf ~/.local ~/.npm');
  });

  it('the page\'s single-file line downloads the command into ~/.local/bin, ready to run', { timeout: 120_000 }, async () => {
    const install = shown('install-file');
    expect(install).toBe(`mkdir -p ~/.local/bin && curl -fsSL -o ~/.local/bin/gatehouse ${portal.url}/cli/gatehouse.mjs && chmod +x ~/.local/bin/gatehouse`);
    const result = await asUser(install);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(`${home}/.local/bin/gatehouse`)).toBe(true);
    expect((await asUser('~/.local/bin/gatehouse --version')).stdout.trim()).toBe(rootPackage.version);
    const help = await asUser('~/.local/bin/gatehouse --help');
    expect(help.stdout).toContain('Usage: gatehouse');
  });
});
