import 'server-only';

import { EnvError, getConfig } from '@/lib/server/core/config';
import { installServerHooks } from '@/lib/server/http/server-hooks';
import { startMetricsListener } from '@/lib/server/dal/metrics';

/** A bad configuration stops start-up here, naming the variable, instead of failing on a later request. */
export function verifyConfigurationOrExit(): void {
  installServerHooks();
  try {
    getConfig();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  startMetricsListener();
}
