/**
 * The installed `gatehouse` command in tests (scripts/support/gatehouse-cli.ts), signing in as a person
 * would: the link read from its output and approved on the emulator's device page.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { type CliHome, type CliResult, startLogin } from '../../scripts/support/gatehouse-cli';
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

/** `gatehouse login` (--no-browser by default) approved on the emulator's device page as `userName`; its exit code and output. */
export async function login(home: CliHome, portalUrl: string, userName: string, extraArgs?: string[]): Promise<CliResult & { link: string }> {
  const started = await startLogin(home, portalUrl, extraArgs);
  const approval = await approveViaPage(started.link, userName);
  if (approval.status !== 200) throw new Error(`the device page refused the approval (${approval.status})`);
  return { ...(await started.finished), link: started.link };
}
