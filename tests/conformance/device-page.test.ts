/**
 * The device verification page a person opens from verificationUriComplete: what it shows, that it
 * escapes what clients send, and that its Approve / Deny buttons drive the device code grant.
 */
import { AccessDeniedException, AuthorizationPendingException, CreateTokenCommand } from '@aws-sdk/client-sso-oidc';
import { ListAccountsCommand } from '@aws-sdk/client-sso';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { DEVICE_GRANT, oidcClient, registerClient, type RegisteredClient, ssoClient, startDevice } from '../../scripts/support/emulator-sdk';
import { FakeClock } from '../support/clock';
import { approveViaPage, failure, signIn, startEmulator } from '../support/emulator';

const clock = new FakeClock();
let emu: RunningEmulator;
let client: RegisteredClient;
const HOSTILE_NAME = '<script>alert("x")</script> & "Team portal"';

beforeAll(async () => {
  emu = await startEmulator({ clock });
  client = await registerClient(emu, HOSTILE_NAME);
});
afterAll(async () => {
  await emu.close();
});

function poll(deviceCode: string) {
  return oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode }));
}

function postForm(fields: Record<string, string>): Promise<Response> {
  return fetch(`${emu.url}/device`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('GET /device?user_code=…', () => {
  test('shows the emulator, the client that asked (escaped), the code, a labelled user picker and both buttons', async () => {
    const device = await startDevice(emu, client);
    const response = await fetch(device.verificationUriComplete);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    const html = await response.text();
    expect(html).toContain('Identity Center emulator');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Team portal&quot;');
    expect(html).not.toContain('<script');
    expect(html).toContain(device.userCode);
    expect(html).toMatch(/<label for="userName">[^<]+<\/label>\s*<select id="userName" name="userName">/);
    for (const user of emu.ctx.directory.users) expect(html).toContain(`<option value="${user.userName}">`);
    expect(html).toContain('<form method="post" action="/device">');
    expect(html).toMatch(/<button[^>]*name="decision" value="approve"[^>]*>Approve<\/button>/);
    expect(html).toMatch(/<button[^>]*name="decision" value="deny"[^>]*>Deny<\/button>/);
  });

  test('without a code, shows a labelled field to type it', async () => {
    const response = await fetch(`${emu.url}/device`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<label for="user_code">');
    expect(html).toContain('<form method="get" action="/device">');
  });

  test('a typed code is forgiving about case, spaces and the dash', async () => {
    const device = await startDevice(emu, client);
    const typed = ` ${device.userCode.replace('-', '').toLowerCase()} `;
    const response = await fetch(`${emu.url}/device?user_code=${encodeURIComponent(typed)}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(device.userCode);
  });

  test('an unknown code is a 404 page, an expired one a 400 page', async () => {
    const unknown = await fetch(`${emu.url}/device?user_code=BCDF-GHJK`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Code not found');

    const device = await startDevice(emu, client);
    clock.advanceSeconds(600);
    const expired = await fetch(device.verificationUriComplete);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('This code has expired');
  });

  test('an escaped user code in the URL never reaches the page raw', async () => {
    const response = await fetch(`${emu.url}/device?user_code=${encodeURIComponent('<b>x</b>')}`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<b>x</b>');
  });
});

describe('POST /device', () => {
  test('Approve signs the chosen user in and names the client on the result page', async () => {
    const device = await startDevice(emu, client);
    await failure(poll(device.deviceCode));
    const response = await approveViaPage(device.verificationUriComplete, 'developer');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Approved — you can close this tab and return to &lt;script&gt;');
    clock.advanceSeconds(1);
    const tokens = await poll(device.deviceCode);
    const accounts = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: tokens.accessToken }));
    expect(accounts.accountList).toHaveLength(4);
  });

  test('Deny makes the client\'s next poll AccessDeniedException', async () => {
    const device = await startDevice(emu, client);
    const response = await approveViaPage(device.verificationUriComplete, 'operator', 'deny');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Denied');
    expect(await failure(poll(device.deviceCode))).toBeInstanceOf(AccessDeniedException);
  });

  test('a used code cannot be decided again', async () => {
    const device = await startDevice(emu, client);
    expect((await approveViaPage(device.verificationUriComplete, 'operator')).status).toBe(200);
    const again = await fetch(device.verificationUriComplete);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already been approved or denied');
  });

  test('a post without the page\'s form token is refused and the request stays pending', async () => {
    const device = await startDevice(emu, client);
    const response = await postForm({ user_code: device.userCode, form_token: 'forged', userName: 'operator', decision: 'approve' });
    expect(response.status).toBe(403);
    expect(await failure(poll(device.deviceCode))).toBeInstanceOf(AuthorizationPendingException);
  });

  test('incomplete forms and unknown users get a 400 page', async () => {
    const device = await startDevice(emu, client);
    expect((await postForm({ user_code: device.userCode })).status).toBe(400);
    expect((await postForm({ user_code: device.userCode, form_token: 'x', decision: 'maybe' })).status).toBe(400);
    const page = await (await fetch(device.verificationUriComplete)).text();
    const formToken = /name="form_token" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const unknownUser = await postForm({ user_code: device.userCode, form_token: formToken, userName: 'mallory', decision: 'approve' });
    expect(unknownUser.status).toBe(400);
    expect(await unknownUser.text()).toContain('Pick a user');
  });

  test('the signIn helper works through the page too', async () => {
    const session = await signIn(emu, 'operator', { via: 'page', clientName: 'Gatehouse (localhost)' });
    expect(session.accessToken).toMatch(/^aoa/);
  });
});
