import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { until } from '../support/api-session';
import { isolatedHome, runCli } from '../support/cli-io';

/**
 * `gatehouse completion bash|zsh|fish`: each script loaded by the real shell, which then completes
 * the commands, their options and the values of --format (bash through its completion function as
 * bash-completion calls it, zsh interactively in a pseudo-terminal with compinit, fish with complete -C).
 */

const COMMANDS = ['accounts', 'completion', 'config', 'console', 'credential-process', 'env', 'exec', 'login', 'logout', 'serve', 'status'];
const FORMATS = ['bash', 'cmd', 'dotenv', 'fish', 'ini', 'no-export', 'powershell'];

let work: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gatehouse-completion-'));
  const { env } = isolatedHome();
  for (const shell of ['bash', 'zsh', 'fish']) {
    const result = await runCli(['completion', shell], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    scripts[shell] = path.join(work, `gatehouse.${shell}`);
    writeFileSync(scripts[shell], result.stdout);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('refuses a shell it has no script for', async () => {
  const result = await runCli(['completion', 'tcsh'], isolatedHome().env);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe("error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n");
});

describe('bash', () => {
  /** What bash completes for the command line `words` (the last one being completed), through the function `complete -p` names. */
  function complete(...words: string[]): string[] {
    const program = `
      source /usr/share/bash-completion/bash_completion
      source "$1"; shift
      spec=$(complete -p gatehouse) || exit 3
      fn=$(sed -E 's/.* -F ([^ ]+) .*/\\1/' <<<"$spec")
      COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
      "$fn" gatehouse "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "\${COMPREPLY[@]}"`;
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', scripts.bash!, ...words], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.split('\n').filter(Boolean).sort();
  }

  it('completes commands, options and format names', () => {
    expect(complete('gatehouse', '')).toEqual(COMMANDS);
    expect(complete('gatehouse', 'acc')).toEqual(['accounts']);
    expect(complete('gatehouse', 'c')).toEqual(['completion', 'config', 'console', 'credential-process']);
    expect(complete('gatehouse', '--portal', 'https://gatehouse.example.com', 'cr')).toEqual(['credential-process']);
    expect(complete('gatehouse', 'env', '--f')).toEqual(['--format']);
    expect(complete('gatehouse', 'env', '--format', '')).toEqual(FORMATS);
    expect(complete('gatehouse', 'exec', '--')).toEqual(['--account', '--help', '--instance', '--portal', '--region', '--role']);
    expect(complete('gatehouse', 'login', '--no')).toEqual(['--no-browser']);
    expect(complete('gatehouse', 'completion', '')).toEqual(['--help', 'bash', 'fish', 'zsh']);
    expect(complete('gatehouse', '--v')).toEqual(['--version']);
    // After `--`, the command exec runs is the shell's to complete.
    expect(complete('gatehouse', 'exec', '--', 'aw')).toEqual([]);
  });
});

describe('fish', () => {
  function complete(line: string): string[] {
    const result = spawnSync('fish', ['--no-config', '-c', `source ${scripts.fish!}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout
      .split('\n')
      .filter(Boolean)
      .map((entry) => entry.split('\t')[0]!)
      .sort();
  }

  it('completes commands, options and format names', () => {
    expect(complete('gatehouse ')).toEqual(COMMANDS);
    expect(complete('gatehouse acc')).toEqual(['accounts']);
    expect(complete('gatehouse env --f')).toEqual(['--format']);
    expect(complete('gatehouse env --format ')).toEqual(FORMATS);
    expect(complete('gatehouse login --no')).toEqual(['--no-browser']);
    expect(complete('gatehouse completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});

describe('zsh', () => {
  it('completes commands, options and format names in an interactive zsh', { timeout: 60_000 }, async () => {
    // An interactive zsh with no start-up files of this machine, in a pseudo-terminal.
    const zdotdir = path.join(work, 'zdotdir');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(zdotdir, { recursive: true });
    writeFileSync(path.join(zdotdir, '.zshrc'), `PS1='%% '\nautoload -Uz compinit\ncompinit -u -d ${path.join(work, 'zcompdump')}\nsource ${scripts.zsh!}\n`);
    const child = spawn('script', ['--quiet', '--command', 'zsh -i', '/dev/null'], {
      env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: work, ZDOTDIR: zdotdir, TERM: 'xterm', COLUMNS: '200', LINES: '50' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let shown = '';
    child.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const plain = () => shown.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[=>]|.\u0008/g, '').replace(/[\r\u0007]/g, '');
    const waitFor = (pattern: RegExp, from: number) =>
      until(`zsh to show ${pattern}`, () => (pattern.test(plain().slice(from)) ? true : undefined), { timeoutMs: 15_000 });
    try {
      await waitFor(/% $/, 0);
      const tab = async (typed: string, expected: RegExp) => {
        const from = plain().length;
        // Ctrl-U empties the line first.
        child.stdin.write(`\u0015${typed}\t`);
        await waitFor(expected, from);
      };
      await tab('gatehouse acc', /gatehouse accounts /);
      await tab('gatehouse cred', /gatehouse credential-process /);
      await tab('gatehouse env --for', /gatehouse env --format /);
      await tab('gatehouse env --format no-', /gatehouse env --format no-export /);
      await tab('gatehouse login --no-b', /gatehouse login --no-browser /);
      await tab('gatehouse completion fi', /gatehouse completion fish /);
      // And a list of them when there are several.
      await tab('gatehouse env --format ', /bash +cmd +dotenv +fish +ini +no-export +powershell/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
