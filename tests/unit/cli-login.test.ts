import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Environment } from '../../cli/environment';
import { configDirectory, readStore } from '../../cli/token-store';
import { answerError, answerJson, type PortalDouble, type SeenRequest, startPortalDouble } from '../support/cli-portal-double';
import { isolatedHome, runCli } from '../support/cli-io';

/**
 * `gatehouse login` as the portal confirms it: one portal URL (its confirmation page) printed and
 * opened, the three words to check there, a status line while the person confirms and Identity Center
 * approves, and a refusal in one line. No Identity Center link or code.
 */

const LOGIN_TOKEN = 'L'.repeat(43);
const TOKEN = 'T'.repeat(43);
const WORDS = 'amber river stone';

type Poll = (request: SeenRequest, response: ServerResponse) => void;

describe('gatehouse login', () => {
  let home: string;
  let env: Environment;
  let portal: PortalDouble;
  let polls: Poll[];
  let confirmUrl: string;

  beforeAll(async () => {
    portal = await startPortalDouble({
      'POST /api/cli/login': (_request, response) =>
        answerJson(response, 200, {
          loginToken: LOGIN_TOKEN,
          confirmUrl,
          words: WORDS,
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
          intervalSeconds: 0.05,
          instance: { key: 'default', name: 'Demo' },
        }),
      'POST /api/cli/login/poll': (request, response) => (polls.shift() ?? ((_q, s) => answerError(s, 500, 'internal', 'no more polls')))(request, response),
    });
  });
  afterAll(() => portal.close());
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    confirmUrl = `${portal.url}/terminal/confirm?request=${'r'.repeat(43)}`;
    portal.requests.length = 0;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const pending = (confirmed: boolean): Poll => (_request, response) => answerJson(response, 200, { status: 'pending', retryAfterMs: 50, expiresAt: new Date(Date.now() + 600_000).toISOString(), confirmed });
  const approved: Poll = (_request, response) =>
    answerJson(response, 200, {
      status: 'approved',
      token: TOKEN,
      session: { user: 'developer', instance: { key: 'default', name: 'Demo' }, expiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString() },
    });

  /** A desktop with a browser that records what it is asked to open. */
  function withBrowser(): { env: Environment; opened: () => string[] } {
    const bin = path.join(home, 'bin');
    const log = path.join(home, 'opened.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${log}'\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    return {
      env: { ...env, DISPLAY: ':0', PATH: `${bin}:${env.PATH ?? ''}` },
      opened: () => {
        try {
          return readFileSync(log, 'utf8').split('\n').filter(Boolean);
        } catch {
          return [];
        }
      },
    };
  }

  it('prints one portal URL and the words, opens it, says what it waits for, and keeps the token', async () => {
    polls = [pending(false), pending(true), pending(true), approved];
    const desktop = withBrowser();
    const result = await runCli(['login', '--portal', portal.url], desktop.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `Signing in to Gatehouse at ${portal.url} (Demo).`,
      `Open ${confirmUrl}`,
      `and check that it shows the words ${WORDS} before you confirm.`,
      '(Opened in your browser.)',
    ]);
    // Not a terminal: each state once, on its own line.
    expect(lines.slice(4, 6)).toEqual(['Waiting for you to confirm in the portal…', 'Confirmed; waiting for Identity Center…']);
    expect(lines[6]).toMatch(new RegExp(`^Signed in as developer to ${portal.url.replace(/[.:/]/g, '\\$&')} \\(Demo\\) until `));
    expect(lines).toHaveLength(7);
    // One link to open, the portal's confirmation page; the portal is otherwise named by its address alone.
    expect(result.stderr.match(/https?:\/\/[^\s)]+/g)).toEqual([portal.url, confirmUrl, portal.url]);
    await expect.poll(() => desktop.opened()).toEqual([confirmUrl]);
    expect(readStore(configDirectory(env)).sessions.map((session) => session.token)).toEqual([TOKEN]);
    const pollRequests = portal.to('/api/cli/login/poll');
    expect(pollRequests).toHaveLength(4);
    for (const request of pollRequests) expect(request.headers.authorization).toBe(`Bearer ${LOGIN_TOKEN}`);
  });

  it('with --no-browser opens nothing; on a terminal, the status is one line rewritten in place', async () => {
    polls = [pending(false), pending(true), approved];
    const desktop = withBrowser();
    const result = await runCli(['login', '--portal', portal.url, '--no-browser'], desktop.env, { stderrIsTty: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('(Opened');
    expect(result.stderr).toContain('\r\u001b[2KWaiting for you to confirm in the portal…\r\u001b[2KConfirmed; waiting for Identity Center…\r\u001b[2KSigned in as developer');
    expect(desktop.opened()).toEqual([]);
  });

  it('a sign-in refused in the portal: one line built from its message, a non-zero exit, no token kept', async () => {
    polls = [pending(true), (_request, response) => answerJson(response, 200, { status: 'refused', message: 'Declined on the confirmation page by developer.\n\u001b[2J' })];
    const result = await runCli(['login', '--portal', portal.url, '--no-browser'], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('The sign-in was refused in the portal: Declined on the confirmation page by developer. [2J');
    expect(result.stderr).not.toContain('\u001b');
    expect(readStore(configDirectory(env)).sessions).toEqual([]);
  });

  it('a sign-in that ended at the portal, a denial and an expiry each end it in one line', async () => {
    const cases: [Poll, string][] = [
      [(_request, response) => answerError(response, 401, 'session_ended', 'Your session has ended.'), 'The sign-in ended before it was confirmed: run `gatehouse login` again.'],
      [(_request, response) => answerJson(response, 200, { status: 'denied' }), 'The sign-in was denied in Identity Center.'],
      [(_request, response) => answerJson(response, 200, { status: 'expired' }), 'The sign-in expired before it was confirmed: run `gatehouse login` again.'],
    ];
    for (const [poll, line] of cases) {
      polls = [poll];
      const result = await runCli(['login', '--portal', portal.url, '--no-browser'], env);
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(line);
    }
  });

  it('refuses a confirmation link that is not the portal\'s confirmation page, and words that are not three words', async () => {
    for (const link of [`${portal.url}/elsewhere`, 'http://evil.example.com/terminal/confirm?request=x', 'javascript:alert(1)']) {
      confirmUrl = link;
      const result = await runCli(['login', '--portal', portal.url, '--no-browser'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain(link);
      expect(portal.to('/api/cli/login/poll')).toEqual([]);
    }
  });
});
