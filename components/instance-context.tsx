'use client';

import { createContext, type ReactNode, useCallback, useContext } from 'react';

import { withInstance } from '@/lib/shared/instances';

/**
 * Which Identity Center instance the page is about. Undefined when only one is configured: then
 * no URL names an instance, exactly as before several were possible.
 */
const InstanceContext = createContext<string | undefined>(undefined);

export function InstanceProvider({ instanceKey, children }: { instanceKey: string | undefined; children: ReactNode }) {
  return <InstanceContext.Provider value={instanceKey}>{children}</InstanceContext.Provider>;
}

export function useInstanceKey(): string | undefined {
  return useContext(InstanceContext);
}

/** `path` with this page's instance added, for API calls and links. */
export function useInstancePath(): (path: string) => string {
  const instanceKey = useContext(InstanceContext);
  return useCallback((path: string) => withInstance(path, instanceKey), [instanceKey]);
}
