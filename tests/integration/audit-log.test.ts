import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { createSealer, sha256Hex } from '../../lib/server/core/crypto';
import { pollSignIn, PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { type AuditLine, auditLines, readListing, until } from '../support/api-session';
import { METRICS_TOKEN } from '../support/metrics';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';

/**
 * The audit trail (lib/server/audit.ts): one JSON line per event on stdout, with who, what, when
 * (ISO 8601 UTC) and a request id; never a secret; an attacker's line break never splits a line;
 * and each person's events kept in the store for their Activity page.
 */

const MARKER = `CANARY${randomBytes(6).toString('hex')}`;
const SECRET = 'audit-log-test-session-secret-0123456789abcdef';
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the audit log', () => {
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  let portal: RunningPortal;
  /** Secrets the portal handed out (role credentials): never in a log line. */
  const handedOut: string[] = [];

  const developerRole = () => {
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    return { accountId: account.accountId, roleName: [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort()[0]! };
  };
  const lines = () => auditLines(portal.output());
  /** Waits for a line matching `match` among those printed after `from` lines. */
  const line = (what: string, match: (line: AuditLine) => boolean, from = 0) =>
    until(what, () => lines().slice(from).find(match));
  /** A signed-in developer whose listing (and so user name) is known. */
  const developer = async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    await readListing(await client.get('/api/accounts/stream'));
    return client;
  };
  /** Rewrites a session record in the store, as time passing would (the record is sealed with SECRET). */
  const ageSession = async (cookie: string, change: (record: Record<string, number>) => void) => {
    const key = `session:${sha256Hex(cookie)}`;
    const sealer = createSealer([SECRET]);
    const client = redis.client();
    const sealed = await client.get(`gatehouse:${key}`);
    const record = JSON.parse(sealer.open(sealed!, key)!) as Record<string, number>;
    const lastUse = record.lastSeenAt;
    change(record);
    await client.set(`gatehouse:${key}`, sealer.seal(JSON.stringify(record), key), 'KEEPTTL');
    // The last use is kept beside the record; it says the same as the record's lastSeenAt.
    if (record.lastSeenAt !== lastUse) await client.set(`gatehouse:seen:${sha256Hex(cookie)}`, String(record.lastSeenAt), 'KEEPTTL');
  };

  function expectWellFormed(event: AuditLine): void {
    expect(event.time).toMatch(ISO_UTC);
    expect(event.requestId).toMatch(UUID);
    expect(event.instance).toMatch(/^[0-9a-f]{16}$/);
  }

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, secretMarker: MARKER });
    redis = await startRedis();
    portal = await startPortal({
      emulatorPort: emulator.port,
      env: { REDIS_URL: redis.url, SESSION_SECRET: SECRET, IDC_RATE_LIMIT: '500', LOG_LEVEL: 'trace', METRICS_TOKEN },
    });
  });
  afterAll(async () => {
    await portal?.stop();
    await redis?.stop();
    await emulator?.close();
  });

  it('records sign-in success and failure', async () => {
    const from = lines().length;
    await signIn(portal.url, emulator, 'developer');
    expectWellFormed(await line('authn_login_success', (event) => event.event === 'authn_login_success', from));

    const denied = new PortalClient(portal.url);
    const { userCode } = (await (await denied.post('/api/auth/device')).json()) as { userCode: string };
    emulator.admin.deny(userCode);
    expect(await pollSignIn(denied)).toBe('denied');
    const failure = await line('authn_login_fail', (event) => event.event === 'authn_login_fail', from);
    expect(failure).toMatchObject({ reason: 'denied' });
    expectWellFormed(failure);
    // Polling on after the denial does not write it again.
    await pollSignIn(denied);
    expect(lines().slice(from).filter((event) => event.event === 'authn_login_fail')).toHaveLength(1);
  });

  it('names the person in a hand-out made before anything else told the portal who they are', async () => {
    // Signed in, and straight to credentials: no listing has learned the user name yet.
    const client = await signIn(portal.url, emulator, 'developer');
    const response = await client.post('/api/credentials', developerRole());
    expect(response.status).toBe(200);
    const { accessKeyId } = (await response.json()) as { accessKeyId: string };
    const event = await line('credentials_issued', (candidate) => candidate.accessKeyId === accessKeyId);
    expect(event).toMatchObject({ event: 'credentials_issued', user: 'developer' });
    expect(await (await client.get('/activity')).text()).toContain(accessKeyId);
  });

  it('ties the sign-in to the person once Identity Center names them, on the Activity page and in the log', async () => {
    const from = lines().length;
    const client = await developer();
    const signedIn = await line('authn_login_success', (event) => event.event === 'authn_login_success', from);
    expect(signedIn.session).toMatch(/^[0-9a-f]{16}$/);
    const identified = await line('session_identified', (event) => event.event === 'session_identified' && event.session === signedIn.session, from);
    expect(identified).toMatchObject({ user: 'developer' });
    const activity = await (await client.get('/activity')).text();
    expect(activity).toContain('Signed in');
    expect(activity).not.toContain('lists this session only');
  });

  it('shows newcomer, who has no role to be named by, the sign-in of their session', async () => {
    const client = await signIn(portal.url, emulator, 'newcomer');
    expect(await readListing(await client.get('/api/accounts/stream'))).toContainEqual(expect.objectContaining({ type: 'done', accounts: 0 }));
    const activity = await (await client.get('/activity')).text();
    expect(activity).toContain('Signed in');
    expect(activity).toContain('it learns it from a role assigned to you, and none has been found so far');
    expect(activity).toContain('session only');
  });

  it('counts a flood of refusals without a session and writes only a sample of them to the trail', async () => {
    const from = lines().length;
    const anonymous = new PortalClient(portal.url);
    const scrape = async () =>
      (await (await fetch(`${portal.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()).split('\n');
    const counted = (text: string[]) =>
      Number(text.find((row) => row.startsWith('gatehouse_refusals_total{event="input_validation_fail",by="anonymous"}'))?.split(' ').pop() ?? 0);
    const before = counted(await scrape());
    const floodStarted = Date.now();
    for (let start = 0; start < 600; start += 50) {
      const batch = Array.from({ length: 50 }, (_, index) => anonymous.get(`/api/accounts/x${start + index}/roles`));
      for (const response of await Promise.all(batch)) expect(response.status).toBe(400);
    }
    expect(counted(await scrape()) - before).toBe(600);
    // The sample is 2 a minute per address, in windows of the clock's minutes: a flood that crosses into
    // the next minute may write 2 more.
    const minutes = Math.floor(Date.now() / 60_000) - Math.floor(floodStarted / 60_000) + 1;
    // A request that is audited afterwards shows the flood's lines are all written by now.
    await developer();
    await line('a later sign-in', (event) => event.event === 'authn_login_success', from);
    const written = lines().slice(from).filter((event) => event.event === 'input_validation_fail' && event.user === undefined);
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.length).toBeLessThanOrEqual(2 * minutes);
  });

  it('records every credential and console hand-out: person, account, role, access key id, expiry, time, request id', async () => {
    const client = await developer();
    const role = developerRole();
    for (const format of ['', '?format=env', '?format=process']) {
      const response = await client.post(`/api/credentials${format}`, role);
      expect(response.status).toBe(200);
      const requestId = response.headers.get('x-request-id')!;
      const text = await response.text();
      const accessKeyId = /ASIA[A-Z0-9]{16}/.exec(text)![0];
      handedOut.push(...(text.match(/[A-Za-z0-9/+=]{40,}/g) ?? []));
      const event = await line(`credentials_issued ${requestId}`, (candidate) => candidate.requestId === requestId);
      expect(event).toMatchObject({ event: 'credentials_issued', user: 'developer', ...role, accessKeyId });
      expect(event.expiration).toMatch(ISO_UTC);
      expect(new Date(String(event.expiration)).getTime()).toBeGreaterThan(Date.now());
      expectWellFormed(event);
    }

    const consoleResponse = await client.post('/api/console', role);
    expect(consoleResponse.status).toBe(200);
    const requestId = consoleResponse.headers.get('x-request-id')!;
    const consoleEvent = await line('console_signin', (candidate) => candidate.requestId === requestId);
    expect(consoleEvent).toMatchObject({ event: 'console_signin', user: 'developer', ...role, accessKeyId: expect.stringMatching(/^ASIA/) });
    expect(consoleEvent.expiration).toMatch(ISO_UTC);
    expectWellFormed(consoleEvent);

    const before = lines().filter((event) => event.event === 'console_signin').length;
    expect((await client.get(`/console/${role.accountId}/${role.roleName}`)).status).toBe(303);
    await until('a console_signin line for the shortcut', () => (lines().filter((event) => event.event === 'console_signin').length > before ? true : undefined));
  });

  it('records authorization and validation failures, with who asked for what', async () => {
    const client = await developer();
    const mine = new Set(accountsOfUser(emulator.ctx.directory, 'developer').map((account) => account.accountId));
    const foreign = accountsOfUser(emulator.ctx.directory, 'operator').find((account) => !mine.has(account.accountId))!;
    const foreignRole = [...rolesOfUser(emulator.ctx.directory, 'operator', foreign.accountId)][0]!;
    const from = lines().length;

    expect((await client.post('/api/credentials', { accountId: foreign.accountId, roleName: foreignRole })).status).toBe(403);
    const refusal = await line('authz_fail', (event) => event.event === 'authz_fail', from);
    expect(refusal).toMatchObject({ user: 'developer', accountId: foreign.accountId, roleName: foreignRole, action: 'POST /api/credentials' });
    expectWellFormed(refusal);

    expect((await client.get(`/api/accounts/${foreign.accountId}/roles`)).status).toBe(404);
    await line('authz_fail for the roles', (event) => event.event === 'authz_fail' && event.action === `GET /api/accounts/${foreign.accountId}/roles`, from);

    for (const [send, action] of [
      [() => client.post('/api/credentials', { accountId: '12345', roleName: 'x' }), 'POST /api/credentials'],
      [() => client.post('/api/credentials?format=yaml', developerRole()), 'POST /api/credentials'],
      [() => client.post('/api/console', { ...developerRole(), destination: 'https://evil.example/' }), 'POST /api/console'],
      [() => client.get('/api/accounts/12345/roles'), 'GET /api/accounts/12345/roles'],
      [() => client.get('/api/aws-config?region=mars-1'), 'GET /api/aws-config'],
      [() => client.get('/console/123/Admin'), 'GET /console/123/Admin'],
    ] as const) {
      const before = lines().filter((event) => event.event === 'input_validation_fail' && event.action === action).length;
      expect((await send()).status).toBe(400);
      await until(`input_validation_fail for ${action}`, () =>
        lines().filter((event) => event.event === 'input_validation_fail' && event.action === action).length > before ? true : undefined,
      );
    }
  });

  it('records a rate-limit hit', async () => {
    const client = new PortalClient(portal.url);
    expect((await client.post('/api/auth/device')).status).toBe(200);
    const from = lines().length;
    // A script polling in a tight loop meets the session's budget (120 a minute).
    let status = 200;
    for (let attempt = 0; attempt < 250 && status !== 429; attempt += 1) status = (await client.post('/api/auth/device/poll')).status;
    expect(status).toBe(429);
    const event = await line('rate_limited', (candidate) => candidate.event === 'rate_limited', from);
    expect(event).toMatchObject({ action: 'poll', scope: 'session' });
    expectWellFormed(event);
  });

  it('keeps the events in the store: the person\'s Activity page lists their hand-outs and refusals', async () => {
    const client = await developer();
    const response = await client.post('/api/credentials', developerRole());
    const { accessKeyId } = (await response.json()) as { accessKeyId: string };
    const other = await signIn(portal.url, emulator, 'operator');
    await readListing(await other.get('/api/accounts/stream'));
    const operatorAccount = accountsOfUser(emulator.ctx.directory, 'operator')[0]!;
    const operatorRole = [...rolesOfUser(emulator.ctx.directory, 'operator', operatorAccount.accountId)][0]!;
    const theirs = (await (await other.post('/api/credentials', { accountId: operatorAccount.accountId, roleName: operatorRole })).json()) as {
      accessKeyId: string;
    };
    expect((await client.post('/api/credentials', { accountId: operatorAccount.accountId, roleName: operatorRole })).status).toBe(403);

    const page = await client.get('/activity');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(accessKeyId);
    expect(html).toContain('Credentials taken');
    expect(html).toContain(developerRole().roleName);
    expect(html).toContain('Refused: not your account or role');
    // Only their own.
    expect(html).not.toContain(theirs.accessKeyId);
    expect(await (await other.get('/activity')).text()).toContain(theirs.accessKeyId);
  });

  it('records sign-out and the end of a session with its reason (idle, absolute, unauthorized)', async () => {
    const from = lines().length;
    const signingOut = await developer();
    expect((await signingOut.post('/api/auth/logout')).status).toBe(200);
    const logout = await line('session_logout', (event) => event.event === 'session_logout', from);
    expect(logout).toMatchObject({ user: 'developer', reason: 'signed_out' });
    expectWellFormed(logout);

    // Idle and absolute: the stored record says the time has passed (no waiting for it).
    for (const [reason, change] of [
      ['idle', (record: Record<string, number>) => void (record.lastSeenAt = Date.now() - 61 * 60_000)],
      ['absolute', (record: Record<string, number>) => void (record.absoluteExpiresAt = Date.now() - 1000)],
    ] as const) {
      const client = await developer();
      await ageSession(client.cookies.get(SESSION_COOKIE)!, change);
      expect((await client.get('/api/session')).status).toBe(401);
      const ended = await line(`session_expired ${reason}`, (event) => event.event === 'session_expired' && event.reason === reason, from);
      expect(ended).toMatchObject({ user: 'developer' });
      expectWellFormed(ended);
    }

    // Identity Center no longer accepts the session (an administrator revoked the user's sign-ins).
    const revoked = await developer();
    const answer = await fetch(`${emulator.url}/__emulator/users/revoke-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'developer' }),
    });
    expect(answer.status).toBe(200);
    expect((await revoked.post('/api/credentials', developerRole())).status).toBe(401);
    const ended = await line('session_expired unauthorized', (event) => event.event === 'session_expired' && event.reason === 'unauthorized', from);
    expect(ended).toMatchObject({ user: 'developer' });
  });

  it('never splits a line on an attacker\'s line break, and never logs a secret', async () => {
    const client = await signIn(portal.url, emulator, 'operator');
    const injected = `INJECT${randomBytes(4).toString('hex')}`;
    const payload = `Admin\n{"audit":true,"event":"fake","user":"${injected}"}\r\n`;
    const encoded = encodeURIComponent(payload);
    const before = lines().filter((event) => event.event === 'input_validation_fail').length;
    const responses = [
      await client.post('/api/credentials', { accountId: '123456789012', roleName: payload }),
      await client.post('/api/console', { accountId: '123456789012', roleName: 'Admin', destination: `/ec2/home${payload}` }),
      await client.post('/api/favorites', { kind: 'role', accountId: '123456789012', roleName: payload, starred: true }),
      await client.post(`/api/credentials?format=${encoded}`, { accountId: '123456789012', roleName: 'Admin' }),
      await client.get(`/api/accounts/${encoded}/roles`),
      await client.get(`/api/aws-config?region=${encoded}`),
      await client.get(`/console/123456789012/${encoded}`),
      await client.get(`/console/${encoded}/Admin?destination=${encoded}`),
    ];
    for (const response of responses) expect(response.status).toBe(400);
    await until('a refusal line per request', () =>
      lines().filter((event) => event.event === 'input_validation_fail').length >= before + responses.length ? true : undefined,
    );

    const output = portal.output().split('\n');
    // Every line the portal writes as JSON is one whole JSON value: nothing was split or forged.
    for (const text of output.filter((candidate) => candidate.trimStart().startsWith('{'))) {
      expect(() => JSON.parse(text), text).not.toThrow();
    }
    for (const text of output.filter((candidate) => candidate.includes(injected))) {
      expect(text.startsWith('{'), text).toBe(true);
      expect(JSON.parse(text)).not.toMatchObject({ event: 'fake' });
    }
    expect(lines().filter((event) => event.event === 'fake' || event.user === injected)).toEqual([]);
    // One field per name: a strict JSON reader takes every audit line as it is.
    for (const text of output.filter((candidate) => candidate.includes('"audit":true'))) {
      const names = [...text.matchAll(/[{,]"([A-Za-z]+)":/g)].map((match) => match[1]);
      expect(new Set(names).size, text).toBe(names.length);
    }

    // No SSO secret (the emulator marks every token, client secret and device code) and no role secret.
    expect(portal.output()).not.toContain(MARKER);
    expect(handedOut.length).toBeGreaterThan(0);
    for (const secret of handedOut) expect(portal.output()).not.toContain(secret);
  });
});
