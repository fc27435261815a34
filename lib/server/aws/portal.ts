import 'server-only';

import { LogoutCommand } from '@aws-sdk/client-sso';

import type { IdentityCenterInstance } from '@/lib/server/env';

import { clientsFor } from './clients';

export interface PortalGateway {
  /** Ends the Identity Center sign-in behind the token; failures are the caller's to tolerate. */
  logout(accessToken: string): Promise<void>;
}

export function createPortalGateway(instance: IdentityCenterInstance): PortalGateway {
  const { portal } = clientsFor(instance);
  return {
    async logout(accessToken) {
      await portal.send(new LogoutCommand({ accessToken }));
    },
  };
}
