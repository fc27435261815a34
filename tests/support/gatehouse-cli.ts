/**
 * The installed `gatehouse` command in tests (scripts/support/gatehouse-cli.ts), signing in as a person
 * would: the link read from its output, confirmed in a browser session, and approved on the emulator's
 * device page.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type CliHome, type CliResult, startLogin } from '../../scripts/support/gatehouse-cli';
import { PortalClient, pollSignIn } from '../../scripts/support/portal-client';
import { confirmFromBrowser, type TerminalConfirmView } from '../../scripts/support/terminal-sign-in';
import { approveViaPage } from './emulator';

export { cliHome, type CliHome, type CliResult, gatehouse, installFromPortal, type InstalledCli, runCommand } from '../../scripts/support/gatehouse-cli';

/** A program that records that it was asked to open a link (as xdg-open), to see whether a browser would have opened. */
export function fakeBrowser(home: CliHome): { opened: () => string[] } {
  const bin = path.join(home.home, 'fake-bin');
  const log = path.join(home.home, 'opened.log');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${log}'\n`, { mode: 0o755 });
  home.env.PATH = `${bin}${path.delimiter}${home.env.PATH}`;
  return {
    opened: () => {
      try {
        return readFileSync(log, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    },
  };
}

/**
 * `gatehouse login` (--no-browser by default) finished as a person does: the printed link opened in a
 * browser session of `userName` (signed in on the emulator's page first), Confirm pressed, and the
 * Identity Center code that then shows approved on the emulator's page; its exit code and output.
 */
export async function login(home: CliHome, portalUrl: string, userName: string, extraArgs?: string[]): Promise<CliResult & { link: string; words: string }> {
  const started = await startLogin(home, portalUrl, extraArgs);
  const browser = await browserSignedIn(portalUrl, userName);
  const confirmed = await confirmFromBrowser(browser, started.link);
  if (confirmed.status !== 200) throw new Error(`confirming the terminal answered ${confirmed.status}: ${await confirmed.text()}`);
  const view = (await confirmed.json()) as TerminalConfirmView;
  if (!view.identityCenter) throw new Error(`the confirmed sign-in shows no Identity Center step (${view.state})`);
  const approval = await approveViaPage(view.identityCenter.verificationUriComplete, userName);
  if (approval.status !== 200) throw new Error(`the device page refused the approval (${approval.status})`);
  return { ...(await started.finished), link: started.link, words: started.words };
}

/** A browser session of `userName`, signed in through the portal with the code approved on the emulator's page. */
export async function browserSignedIn(portalUrl: string, userName: string): Promise<PortalClient> {
  const browser = new PortalClient(portalUrl);
  const started = await browser.post('/api/auth/device');
  if (started.status !== 200) throw new Error(`sign-in start answered ${started.status}`);
  const { verificationUriComplete } = (await started.json()) as { verificationUriComplete: string };
  const approval = await approveViaPage(verificationUriComplete, userName);
  if (approval.status !== 200) throw new Error(`the device page refused the approval (${approval.status})`);
  const status = await pollSignIn(browser);
  if (status !== 'approved') throw new Error(`the browser sign-in ended ${status}`);
  return browser;
}

/** What a terminal shows, without the escape sequences that draw it. */
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

export interface TerminalRun {
  /** Everything the terminal showed so far (stdout and stderr, as a terminal mixes them), escape sequences removed. */
  screen(): string;
  /** Types `text` at the keyboard. */
  type(text: string): void;
  /** Waits until the screen, after what it showed at `since` characters, matches `pattern`. */
  waitFor(pattern: RegExp, since?: number): Promise<string>;
  finished: Promise<number>;
}

/**
 * Runs `gatehouse args` in a pseudo-terminal (util-linux's `script`), so the command sees a TTY on
 * stdin, stdout and stderr and a person can type at it.
 */
export function inTerminal(home: CliHome, args: string[]): TerminalRun {
  const command = ['gatehouse', ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    env: { ...home.env, TERM: 'xterm-256color', COLUMNS: '160', LINES: '40' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  child.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const finished = new Promise<number>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    }),
  );
  return {
    screen: () => plain(shown),
    type: (text) => child.stdin.write(text),
    waitFor: async (pattern, since = 0) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const seen = plain(shown).slice(since);
        if (pattern.test(seen)) return seen;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it showed:\n${seen}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    finished,
  };
}
