/**
 * The portal's terminal API (/api/cli/*) as the `gatehouse` command calls it, for integration tests
 * that sign a terminal in without the command itself.
 */
import { expect } from 'vitest';

import type { RunningEmulator } from '../../emulator/server';
import type { RunningPortal } from '../../scripts/support/portal-process';
import type { PortalClient } from '../../scripts/support/portal-client';
import { confirmTerminalSignIn } from '../../scripts/support/terminal-sign-in';
import { until } from './api-session';

/** A request as the command sends it: a bearer token, JSON, no cookie, no Origin. */
export async function cli(portal: Pick<RunningPortal, 'url'>, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${portal.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'user-agent': 'gatehouse/0.1.0 (linux; node 20)',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface Login {
  loginToken: string;
  confirmUrl: string;
  words: string;
  instance: { key: string };
}

/** `gatehouse login`'s first request: the pending sign-in, its login token and the link the person confirms it at. */
export async function startTerminalLogin(portal: Pick<RunningPortal, 'url'>, headers: Record<string, string> = {}): Promise<Login> {
  const started = await cli(portal, '/api/cli/login', undefined, {}, headers);
  expect(started.status, await started.clone().text()).toBe(200);
  return (await started.json()) as Login;
}

/**
 * `gatehouse login` (every terminal request with `headers`), confirmed in the portal by a browser
 * signed in as `userName` (`browser`, or a new one signed in with the same headers), then approved on
 * the emulator as `userName`: the terminal's token.
 */
export async function terminalLogin(
  portal: Pick<RunningPortal, 'url'>,
  emulator: Pick<RunningEmulator, 'admin'>,
  userName: string,
  headers: Record<string, string> = {},
  browser?: PortalClient,
): Promise<string> {
  const send = (path: string, token?: string, body?: unknown) => cli(portal, path, token, body, headers);
  const login = await startTerminalLogin(portal, headers);
  expect((await (await send('/api/cli/login/poll', login.loginToken, {})).json()) as { status: string }).toMatchObject({
    status: 'pending',
    confirmed: false,
  });
  await confirmTerminalSignIn(login.confirmUrl, userName, emulator, { browser, headers });
  const approved = await until('the terminal sign-in to be approved', async () => {
    const answer = (await (await send('/api/cli/login/poll', login.loginToken, {})).json()) as { status: string; token?: string };
    if (answer.status !== 'pending' && answer.status !== 'approved') throw new Error(`the terminal sign-in ended ${answer.status}`);
    return answer.status === 'approved' ? answer : undefined;
  });
  expect(approved.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // The login token polled its way to a session; it is good for nothing now.
  expect((await send('/api/cli/session', login.loginToken)).status).toBe(401);
  return approved.token!;
}
