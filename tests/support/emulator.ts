/**
 * Test support for anything that talks to the Identity Center emulator: an in-process emulator on a free
 * port, SDK clients pointed at it, and a full device-flow sign-in. Its fake clock is in ./clock.ts.
 */
import { SSOClient, type SSOClientConfig } from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
  type SSOOIDCClientConfig,
} from '@aws-sdk/client-sso-oidc';
import { createEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';

export const REGION = 'us-east-1';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** An emulator on an ephemeral port; the caller closes it. */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return createEmulator({ port: 0, seed: 1, ...options });
}

export function oidcClient(emu: RunningEmulator, config: Partial<SSOOIDCClientConfig> = {}): SSOOIDCClient {
  return new SSOOIDCClient({ region: REGION, endpoint: emu.url, ...config });
}

export function ssoClient(emu: RunningEmulator, config: Partial<SSOClientConfig> = {}): SSOClient {
  return new SSOClient({ region: REGION, endpoint: emu.url, ...config });
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
}

export async function registerClient(emu: RunningEmulator, clientName = 'gatehouse-tests'): Promise<RegisteredClient> {
  const out = await oidcClient(emu).send(new RegisterClientCommand({ clientName, clientType: 'public', scopes: ['sso:account:access'] }));
  if (!out.clientId || !out.clientSecret) throw new Error('RegisterClient returned no credentials');
  return { clientId: out.clientId, clientSecret: out.clientSecret, clientName };
}

export interface DeviceStart {
  deviceCode: string;
  userCode: string;
  verificationUriComplete: string;
}

export async function startDevice(emu: RunningEmulator, client: RegisteredClient): Promise<DeviceStart> {
  const out = await oidcClient(emu).send(
    new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: emu.ctx.directory.startUrl }),
  );
  if (!out.deviceCode || !out.userCode || !out.verificationUriComplete) throw new Error('StartDeviceAuthorization returned no codes');
  return { deviceCode: out.deviceCode, userCode: out.userCode, verificationUriComplete: out.verificationUriComplete };
}

/** Approves through the HTML page the way a person would: open the link, pick the user, press Approve. */
export async function approveViaPage(verificationUriComplete: string, userName: string, decision: 'approve' | 'deny' = 'approve'): Promise<Response> {
  const page = await fetch(verificationUriComplete);
  const html = await page.text();
  const userCode = /name="user_code" value="([^"]+)"/.exec(html)?.[1];
  const formToken = /name="form_token" value="([^"]+)"/.exec(html)?.[1];
  if (!userCode || !formToken) throw new Error(`device page has no form (status ${page.status})`);
  const action = new URL('/device', verificationUriComplete);
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: userCode, form_token: formToken, userName, decision }).toString(),
  });
}

export interface SignedIn extends RegisteredClient {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  userCode: string;
}

/** RegisterClient → StartDeviceAuthorization → approval (admin API or the page) → CreateToken. */
export async function signIn(
  emu: RunningEmulator,
  userName: string,
  options: { via?: 'admin' | 'page'; clientName?: string } = {},
): Promise<SignedIn> {
  const client = await registerClient(emu, options.clientName);
  const device = await startDevice(emu, client);
  if (options.via === 'page') {
    const response = await approveViaPage(device.verificationUriComplete, userName);
    if (response.status !== 200) throw new Error(`device page refused the approval (${response.status})`);
  } else {
    const response = await fetch(`${emu.url}/__emulator/device/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userCode: device.userCode, userName }),
    });
    if (response.status !== 200) throw new Error(`admin approve failed (${response.status})`);
  }
  const token = await oidcClient(emu).send(
    new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }),
  );
  if (!token.accessToken || !token.refreshToken || token.expiresIn === undefined) throw new Error('CreateToken returned no tokens');
  return { ...client, accessToken: token.accessToken, refreshToken: token.refreshToken, expiresIn: token.expiresIn, userCode: device.userCode };
}

/** POST JSON to the admin API and return the parsed answer. */
export async function admin(emu: RunningEmulator, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emu.url}/__emulator/${path}`, body === undefined
    ? {}
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** The rejection of a promise that must fail (typed loosely: tests assert the fields they read). */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & Record<string, unknown>;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}
