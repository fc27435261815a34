import 'server-only';

import { type KeyValueStore, storeUnavailable } from './types';

/**
 * The store of a process whose store could not be opened (a native module compiled for another
 * Node.js, a DATA_DIR it may not write): every call is `store_unavailable`, so each route answers
 * 503 and readiness fails, rather than a 500 per request while the health check stays green.
 */
export function createUnavailableStore(kind: KeyValueStore['kind'], cause: unknown): KeyValueStore {
  const refuse = (): Promise<never> => Promise.reject(storeUnavailable(cause));
  return {
    kind,
    get: refuse,
    set: refuse,
    setIfAbsent: refuse,
    delete: refuse,
    deleteIfEquals: refuse,
    expireIfEquals: refuse,
    increment: refuse,
    pushToList: refuse,
    readList: refuse,
    putLogEntry: refuse,
    getLogEntry: refuse,
    readLog: refuse,
    deleteLog: refuse,
    countPrefix: refuse,
    ping: refuse,
    close: () => Promise.resolve(),
  };
}
