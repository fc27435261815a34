import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';

/**
 * How long sessions last, in real time against the production server: the idle window slides with
 * every request, an unused session ends on the server, and the browser keeps the cookie until the
 * session's absolute end (SESSION_MAX_HOURS), so a busy person is never dropped by their browser.
 */

const MAX_HOURS = 3;

/** Signs in through the API; returns the client and the Set-Cookie line of the approving poll. */
async function signInWithCookieLine(baseUrl: string, emulator: RunningEmulator, userName: string): Promise<{ client: PortalClient; cookieLine: string }> {
  let cookieLine: string | undefined;
  // The last poll is the approving one.
  const onPoll = (answer: Response) => (cookieLine = answer.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`)));
  const client = await signIn(baseUrl, emulator, userName, { onPoll });
  if (!cookieLine) throw new Error('the approving poll set no session cookie');
  return { client, cookieLine };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session lifetime, SESSION_IDLE_MINUTES=1', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({
      emulatorPort: emulator.port,
      env: { SESSION_IDLE_MINUTES: '1', SESSION_MAX_HOURS: String(MAX_HOURS) },
    });
  });
  afterAll(async () => {
    await portal.stop();
    await emulator.close();
  });

  it('keeps the cookie until SESSION_MAX_HOURS, not until the idle end', async () => {
    const before = Date.now();
    const { cookieLine } = await signInWithCookieLine(portal.url, emulator, 'developer');
    const maxAge = Number(/;\s*Max-Age=(\d+)/i.exec(cookieLine)?.[1]);
    const elapsed = Math.ceil((Date.now() - before) / 1000);
    expect(maxAge).toBeLessThanOrEqual(MAX_HOURS * 3600);
    expect(maxAge).toBeGreaterThanOrEqual(MAX_HOURS * 3600 - elapsed - 1);
    expect(cookieLine).toMatch(/HttpOnly/i);
    expect(cookieLine).toMatch(/Secure/i);
  });

  // The real-time proof, kept short: 90 s of use is half again the 60 s idle window, so only a window
  // that slides keeps it. The rule itself is tested to the second on a fake clock (session-manager.test.ts).
  it('stays signed in with a request every 15 s for 90 s, past the idle window, and signs out a session left idle for 70 s', async () => {
    const [active, idle] = await Promise.all([signInWithCookieLine(portal.url, emulator, 'operator'), signInWithCookieLine(portal.url, emulator, 'developer')]);

    const busy = (async () => {
      const started = Date.now();
      while (Date.now() - started < 90_000) {
        await pause(15_000);
        const response = await active.client.get('/api/accounts');
        expect(response.status, `a request ${Math.round((Date.now() - started) / 1000)} s in`).toBe(200);
      }
    })();

    const untouched = (async () => {
      await pause(70_000);
      const response = await idle.client.get('/api/accounts');
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'session_ended' } });
    })();

    await Promise.all([busy, untouched]);
    const session = await active.client.get('/api/session');
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ signedIn: true, endsBecause: 'idle' });
  }, 150_000);
});
