import 'server-only';

import type { DeviceFlowState } from './record';

/**
 * The polling schedule of RFC 8628 §3.5: wait `interval` between CreateToken calls; on slow_down
 * add 5 seconds, for that wait and every later one.
 */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;

export function scheduleNextPoll(flow: DeviceFlowState, outcome: 'pending' | 'slow_down', now: number): DeviceFlowState {
  const intervalSeconds = outcome === 'slow_down' ? flow.intervalSeconds + SLOW_DOWN_INCREMENT_SECONDS : flow.intervalSeconds;
  return { ...flow, intervalSeconds, nextPollAt: now + intervalSeconds * 1000 };
}
