/**
 * Test support for anything that talks to the Identity Center emulator: an in-process emulator on a free
 * port, a device-flow sign-in approved through the admin API or the device page, the admin API's raw
 * answers, and the rejection of a call that must fail. The SDK clients and the device flow themselves
 * are in scripts/support/emulator-sdk.ts, the fake clock in ./clock.ts.
 */
import { createEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import { adminRequest } from '../../scripts/support/emulator-admin';
import { deviceFlowSignIn, type SignedIn } from '../../scripts/support/emulator-sdk';

/** An emulator on an ephemeral port; the caller closes it. */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return createEmulator({ port: 0, seed: 1, ...options });
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

/** RegisterClient → StartDeviceAuthorization → approval (admin API or the page) → CreateToken. */
export function signIn(emu: RunningEmulator, userName: string, options: { via?: 'admin' | 'page'; clientName?: string } = {}): Promise<SignedIn> {
  return deviceFlowSignIn(emu, userName, {
    clientName: options.clientName,
    approve:
      options.via === 'page'
        ? async (device) => {
            const response = await approveViaPage(device.verificationUriComplete, userName);
            if (response.status !== 200) throw new Error(`device page refused the approval (${response.status})`);
          }
        : undefined,
  });
}

/** POST JSON to the admin API (GET without a body) and return the answer as it came, parsed. */
export async function admin(emu: RunningEmulator, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await adminRequest(emu.url, path, body);
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
