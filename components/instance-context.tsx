'use client';

import { createContext, type ReactNode, useCallback, useContext, useMemo } from 'react';

import { type AccountLabel, type AccountLabelRule, accountRegion, type LabelledAccount, labelsOf } from '@/lib/shared/account-labels';
import { withInstance } from '@/lib/shared/instances';

/**
 * Which Identity Center instance the page is about, and what the organisation configured for its
 * accounts: their labels (`production`) and default regions. The key is undefined when only one
 * instance is configured: then no URL names an instance, exactly as before several were possible.
 */
interface InstanceValue {
  instanceKey: string | undefined;
  accountLabels: readonly AccountLabelRule[];
  defaultRegion: string | undefined;
}

const InstanceContext = createContext<InstanceValue>({ instanceKey: undefined, accountLabels: [], defaultRegion: undefined });

export function InstanceProvider({
  instanceKey,
  accountLabels = [],
  defaultRegion,
  children,
}: {
  instanceKey: string | undefined;
  accountLabels?: readonly AccountLabelRule[];
  defaultRegion?: string;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ instanceKey, accountLabels, defaultRegion }), [instanceKey, accountLabels, defaultRegion]);
  return <InstanceContext.Provider value={value}>{children}</InstanceContext.Provider>;
}

export function useInstanceKey(): string | undefined {
  return useContext(InstanceContext).instanceKey;
}

/** `path` with this page's instance added, for API calls and links. */
export function useInstancePath(): (path: string) => string {
  const { instanceKey } = useContext(InstanceContext);
  return useCallback((path: string) => withInstance(path, instanceKey), [instanceKey]);
}

/** An account's labels and default region, as the organisation configured them. */
export function useAccountLooks(): (account: LabelledAccount) => { labels: AccountLabel[]; region: string | undefined } {
  const { accountLabels, defaultRegion } = useContext(InstanceContext);
  return useCallback(
    (account: LabelledAccount) => ({
      labels: labelsOf(accountLabels, account),
      region: defaultRegion === undefined ? undefined : accountRegion(accountLabels, account, defaultRegion),
    }),
    [accountLabels, defaultRegion],
  );
}
