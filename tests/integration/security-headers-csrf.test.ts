import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { signInListed, until } from '../support/api-session';
import { rawRequest } from '../support/raw-http';

/**
 * Security headers on every kind of response, and the CSRF defences of every state-changing
 * route: a refused request has no side effect (no call to AWS, no audit event, no state change).
 */

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name, ...values] = part.split(/\s+/);
        return [name ?? '', values.join(' ')] as const;
      }),
  );
}

describe('security headers and CSRF', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let operator: PortalClient;
  let accountId: string;
  let roleName: string;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    operator = await signInListed(portal.url, emulator, 'operator');
    accountId = accountsOfUser(emulator.ctx.directory, 'operator')[0]!.accountId;
    roleName = rolesOfUser(emulator.ctx.directory, 'operator', accountId)[0]!;
  });
  afterAll(async () => {
    await portal.stop();
    await emulator.close();
  });

  it.each(['/', '/sign-in', '/accounts', '/activity', '/api/health', '/api/session', '/api/accounts', '/no-such-page'])(
    'sends the security headers on %s',
    async (path) => {
      const response = await operator.get(path);
      expect(response.status).toBeLessThan(500);
      const headers = response.headers;
      const csp = directives(headers.get('content-security-policy') ?? '');
      const script = csp.get('script-src') ?? '';
      expect(script).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
      expect(script).not.toContain('unsafe-inline');
      expect(script).not.toContain('unsafe-eval');
      expect(csp.get('object-src')).toBe("'none'");
      expect(csp.get('base-uri')).toBe("'none'");
      expect(csp.get('frame-ancestors')).toBe("'none'");
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d{8,}; includeSubDomains/);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
      expect(headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it('uses a new nonce for every response, and stamps the page scripts with it', async () => {
    const first = await operator.get('/');
    const second = await operator.get('/');
    const nonce = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce(first)).toBeDefined();
    expect(nonce(first)).not.toBe(nonce(second));
    const html = await second.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce(second)}"`);
  });

  it.each(['/accounts', '/activity', '/api/session', '/api/accounts', '/api/favorites', '/api/aws-config'])(
    'never lets %s be stored by a browser or proxy',
    async (path) => {
      const response = await operator.get(path);
      expect(response.headers.get('cache-control')).toMatch(/no-store/);
    },
  );

  const stateChanging: [string, () => unknown][] = [
    ['/api/auth/device', () => ({})],
    ['/api/auth/device/poll', () => ({})],
    ['/api/auth/logout', () => ({})],
    ['/api/accounts/refresh', () => ({})],
    ['/api/favorites', () => ({ kind: 'account', accountId, starred: true })],
    ['/api/credentials', () => ({ accountId, roleName })],
    ['/api/credentials?format=env', () => ({ accountId, roleName })],
    ['/api/console', () => ({ accountId, roleName })],
    ['/api/preferences', () => ({ density: 'compact' })],
    ['/api/saved-listing/forget', () => ({})],
    ['/api/sessions/revoke', () => ({ handle: '0123456789abcdef' })],
    ['/api/terminal-sessions/revoke', () => ({ handle: '0123456789abcdef' })],
    ['/api/terminal-sessions/revoke-all', () => ({})],
    ['/api/terminal-sessions/notices/dismiss', () => ({})],
    ['/api/terminal/confirm', () => ({ request: 'A'.repeat(43) })],
    ['/api/terminal/decline', () => ({ request: 'A'.repeat(43) })],
  ];

  it('checks every state-changing route a browser calls (the list above names them all)', () => {
    const routes = readdirSync('app/api', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('route.ts'))
      .filter((file) => {
        const source = readFileSync(path.join('app/api', file), 'utf8');
        return /export const POST = apiRoute\(/.test(source) && !/via: 'bearer'/.test(source);
      })
      .map((file) => `/api/${path.dirname(file)}`);
    expect(routes.sort()).toEqual([...new Set(stateChanging.map(([route]) => route.split('?')[0]))].sort());
  });
  const attacks: [string, Record<string, string>, number][] = [
    ['a foreign Origin', { origin: 'https://evil.example' }, 403],
    ['a null Origin', { origin: 'null' }, 403],
    ['no Origin at all', { origin: '' }, 403],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, 403],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }, 403],
    ['the portal\'s host on another scheme', { origin: 'https://127.0.0.1' }, 403],
    ['a text/plain body (a cross-site form)', { 'content-type': 'text/plain' }, 415],
    ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
  ];

  describe.each(stateChanging)('POST %s', (path, body) => {
    it.each(attacks)('refuses %s with no side effect', async (_label, headers, status) => {
      await emulatorAdmin(emulator).resetStats();
      const before = portal.output().length;
      const sent: Record<string, string> = {
        cookie: operator.cookieHeader(),
        'content-type': 'application/json',
        origin: portal.url,
        'sec-fetch-site': 'same-origin',
        ...headers,
      };
      // An empty value stands for "header absent" (a request without Origin or Fetch Metadata).
      if (sent.origin === '') {
        delete sent.origin;
        delete sent['sec-fetch-site'];
      }
      const response = await fetch(`${portal.url}${path}`, { method: 'POST', headers: sent, body: JSON.stringify(body()) });
      expect(response.status).toBe(status);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(['forbidden_origin', 'unsupported_media_type']).toContain(answer.error.code);
      const stats = await emulatorAdmin(emulator).stats();
      expect(stats.total).toBe(0);
      const logged = portal.output().slice(before);
      expect(logged).not.toMatch(/credentials_issued|console_signin|session_logout/);
      // Still signed in: a refused sign-out did not sign anyone out.
      expect(((await (await operator.get('/api/session')).json()) as { signedIn: boolean }).signedIn).toBe(true);
    });
  });

  it('takes the portal\'s origin from its configuration, never from a Host header', async () => {
    const port = new URL(portal.url).port;
    const sameScheme = (origin: string, host: string) =>
      rawRequest(portal.url, {
        method: 'POST',
        path: '/api/auth/device',
        headers: { host, origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        body: '{}',
      });
    // A forged Host and an Origin to match it: refused, where a Host-based check would have agreed.
    expect((await sameScheme('http://evil-phish.example', 'evil-phish.example')).status).toBe(403);
    expect((await sameScheme(`https://127.0.0.1:${port}`, `127.0.0.1:${port}`)).status).toBe(403);
    // The demo listens on loopback: its other name, same scheme and port, is the same portal.
    expect((await sameScheme(`http://localhost:${port}`, `localhost:${port}`)).status).toBe(200);

    // With the right Origin but a forged Host, Identity Center's approval page still names the real portal.
    const started = await sameScheme(portal.url, 'evil-phish.example');
    expect(started.status).toBe(200);
    const { verificationUriComplete } = JSON.parse(started.body) as { verificationUriComplete: string };
    const approval = await (await fetch(verificationUriComplete)).text();
    expect(approval).toContain(`Gatehouse (127.0.0.1:${port})`);
    expect(approval).not.toContain('evil-phish');
  });

  it('answers methods it does not serve with a JSON 405 and one log line, never a 500 or a stack', async () => {
    const before = portal.output().length;
    const viaHttp = await Promise.all(
      ['TRACE', 'PROPFIND'].flatMap((method) => ['/api/health', '/accounts', '/'].map((path) => rawRequest(portal.url, { method, path }))),
    );
    // Methods Node's parser does not know arrive as raw bytes.
    const viaSocket = await Promise.all(
      ['FOO /api/health HTTP/1.1', 'TRACK / HTTP/1.1'].map(
        (line) =>
          new Promise<string>((resolve, reject) => {
            const socket = connect(Number(new URL(portal.url).port), '127.0.0.1', () => socket.write(`${line}\r\nHost: 127.0.0.1\r\n\r\n`));
            let text = '';
            socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
            socket.on('end', () => resolve(text));
            socket.on('error', reject);
          }),
      ),
    );
    for (const answer of viaHttp) {
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS');
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'method_not_allowed', message: 'This method is not allowed.' } });
    }
    for (const text of viaSocket) {
      expect(text).toMatch(/^HTTP\/1\.1 405 /);
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
    await until('a log line per refused request', () => {
      const logged = portal.output().slice(before).split('\n').filter((line) => line.includes('"status":405'));
      return logged.length >= viaHttp.length + viaSocket.length ? logged : undefined;
    });
    const printed = portal.output().slice(before);
    for (const line of printed.split('\n').filter((text) => text.trim() !== '')) {
      // Every line is one JSON value; no stack trace, no multi-line error.
      expect(() => JSON.parse(line), line).not.toThrow();
    }
    expect(printed).not.toMatch(/TypeError|\bat [\w.<>]+ \(/);
  });

  it('answers a page that does not exist with the page shell, a way back and the request id', async () => {
    const response = await operator.get('/no-such-page');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('This page could not be found.');
    expect(html).toContain('Back to your accounts');
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(html).toContain(`>${requestId}</code>`);
  });

  it('refuses GET on state-changing routes', async () => {
    for (const path of ['/api/auth/device', '/api/auth/device/poll', '/api/auth/logout', '/api/credentials', '/api/console', '/api/accounts/refresh']) {
      expect((await operator.get(path)).status).toBe(405);
    }
  });

  it('keeps framing out: the CSP forbids every frame ancestor and X-Frame-Options says DENY', async () => {
    const response = await operator.get('/accounts');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('ignores the x-middleware-subrequest bypass header (CVE-2025-29927)', async () => {
    const anonymous = new PortalClient(portal.url);
    for (const value of ['middleware', 'proxy', 'src/middleware:middleware:middleware:middleware:middleware']) {
      expect((await anonymous.get('/api/accounts', { 'x-middleware-subrequest': value })).status).toBe(401);
      const page = await anonymous.get('/accounts', { 'x-middleware-subrequest': value });
      expect(page.status).toBeGreaterThanOrEqual(300);
      expect(page.status).toBeLessThan(400);
    }
  });
});
