import 'server-only';

import { EnvError, getConfig } from '@/lib/server/env';
import { installPeerAddressHook } from '@/lib/server/http/peer-address';

/** A bad configuration stops start-up here, naming the variable, instead of failing on a later request. */
export function verifyConfigurationOrExit(): void {
  installPeerAddressHook();
  try {
    getConfig();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
