/**
 * The bench's view of the emulator: its admin API (stats, knobs) and an access token obtained through the
 * real device flow with the AWS SDK, as a script written by a person would get one.
 */
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { z } from 'zod';

import type { RunningEmulator } from '../emulator/server';

export const REGION = 'us-east-1';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const statsSchema = z.object({
  since: z.string(),
  total: z.number(),
  calls: z.record(z.string(), z.number()),
  throttled: z.number(),
  injectedErrors: z.number(),
  droppedConnections: z.number(),
});

export type EmulatorStats = z.infer<typeof statsSchema>;

const knobsSchema = z.object({ latencyMs: z.number(), rateLimit: z.number(), rateBurst: z.number() });

async function admin(emulator: RunningEmulator, method: 'GET' | 'POST', path: string): Promise<unknown> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
  if (!response.ok) throw new Error(`emulator admin ${method} ${path} answered ${response.status}`);
  return response.json();
}

export async function resetStats(emulator: RunningEmulator): Promise<void> {
  await admin(emulator, 'POST', '/stats/reset');
}

export async function readStats(emulator: RunningEmulator): Promise<EmulatorStats> {
  return statsSchema.parse(await admin(emulator, 'GET', '/stats'));
}

export async function readKnobs(emulator: RunningEmulator): Promise<z.infer<typeof knobsSchema>> {
  return knobsSchema.parse(await admin(emulator, 'GET', '/knobs'));
}

/** RegisterClient → StartDeviceAuthorization → approval (admin) → CreateToken, with the SDK's defaults. */
export async function deviceFlowToken(emulator: RunningEmulator, userName: string): Promise<string> {
  const oidc = new SSOOIDCClient({ region: REGION, endpoint: emulator.url });
  try {
    const client = await oidc.send(new RegisterClientCommand({ clientName: 'gatehouse-bench-baseline', clientType: 'public', scopes: ['sso:account:access'] }));
    if (!client.clientId || !client.clientSecret) throw new Error('RegisterClient returned no client credentials');
    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: emulator.ctx.directory.startUrl }),
    );
    if (!device.deviceCode || !device.userCode) throw new Error('StartDeviceAuthorization returned no codes');
    emulator.admin.approve(device.userCode, userName);
    const token = await oidc.send(
      new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }),
    );
    if (!token.accessToken) throw new Error('CreateToken returned no access token');
    return token.accessToken;
  } finally {
    oidc.destroy();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
