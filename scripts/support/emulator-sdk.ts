/** AWS SDK clients pointed at the Identity Center emulator, and a device-flow sign-in through them as a script written by a person would do it. */
import { SSOClient, type SSOClientConfig } from '@aws-sdk/client-sso';
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
  type SSOOIDCClientConfig,
} from '@aws-sdk/client-sso-oidc';

import type { RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from './emulator-admin';

export const REGION = 'us-east-1';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** What the SDK helpers need of an emulator: where it listens, and its directory's start URL. */
export type EmulatorEndpoint = Pick<RunningEmulator, 'url' | 'ctx'>;

export function oidcClient(emu: EmulatorEndpoint, config: Partial<SSOOIDCClientConfig> = {}): SSOOIDCClient {
  return new SSOOIDCClient({ region: REGION, endpoint: emu.url, ...config });
}

export function ssoClient(emu: EmulatorEndpoint, config: Partial<SSOClientConfig> = {}): SSOClient {
  return new SSOClient({ region: REGION, endpoint: emu.url, ...config });
}

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
}

export async function registerClient(emu: EmulatorEndpoint, clientName = 'gatehouse-tests', oidc = oidcClient(emu)): Promise<RegisteredClient> {
  const out = await oidc.send(new RegisterClientCommand({ clientName, clientType: 'public', scopes: ['sso:account:access'] }));
  if (!out.clientId || !out.clientSecret) throw new Error('RegisterClient returned no credentials');
  return { clientId: out.clientId, clientSecret: out.clientSecret, clientName };
}

export interface DeviceStart {
  deviceCode: string;
  userCode: string;
  verificationUriComplete: string;
}

export async function startDevice(emu: EmulatorEndpoint, client: RegisteredClient, oidc = oidcClient(emu)): Promise<DeviceStart> {
  const out = await oidc.send(
    new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: emu.ctx.directory.startUrl }),
  );
  if (!out.deviceCode || !out.userCode || !out.verificationUriComplete) throw new Error('StartDeviceAuthorization returned no codes');
  return { deviceCode: out.deviceCode, userCode: out.userCode, verificationUriComplete: out.verificationUriComplete };
}

export interface SignedIn extends RegisteredClient {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  userCode: string;
}

/**
 * RegisterClient → StartDeviceAuthorization → approval → CreateToken, with the SDK's defaults. The approval
 * goes through the emulator's admin API unless `approve` does it another way (the device page, say).
 */
export async function deviceFlowSignIn(
  emu: EmulatorEndpoint,
  userName: string,
  options: { clientName?: string; approve?: (device: DeviceStart) => Promise<void> } = {},
): Promise<SignedIn> {
  const oidc = oidcClient(emu);
  try {
    const client = await registerClient(emu, options.clientName, oidc);
    const device = await startDevice(emu, client, oidc);
    if (options.approve) await options.approve(device);
    else await emulatorAdmin(emu).approve(device.userCode, userName);
    const token = await oidc.send(
      new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }),
    );
    if (!token.accessToken || !token.refreshToken || token.expiresIn === undefined) throw new Error('CreateToken returned no tokens');
    return { ...client, accessToken: token.accessToken, refreshToken: token.refreshToken, expiresIn: token.expiresIn, userCode: device.userCode };
  } finally {
    oidc.destroy();
  }
}
