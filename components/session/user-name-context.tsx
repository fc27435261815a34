'use client';

import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';

import { useInstanceKey } from '@/components/instance-context';

/**
 * The person's Identity Center user name as the page learns it: the accounts listing names them
 * before the session does, and the header shows it at once. Kept per instance, so a name learned
 * in one organisation is never shown for another. Reporting and reading are two contexts, so the
 * page that reports does not re-render when the name arrives.
 */
type Report = (instanceKey: string | undefined, userName: string) => void;

const ReportContext = createContext<Report | null>(null);
const NamesContext = createContext<ReadonlyMap<string, string>>(new Map());

const keyOf = (instanceKey: string | undefined) => instanceKey ?? '';

export function LearnedUserNameProvider({ children }: { children: ReactNode }) {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(() => new Map());
  const report = useCallback<Report>((instanceKey, userName) => {
    setNames((previous) => (previous.get(keyOf(instanceKey)) === userName ? previous : new Map(previous).set(keyOf(instanceKey), userName)));
  }, []);
  return (
    <ReportContext.Provider value={report}>
      <NamesContext.Provider value={names}>{children}</NamesContext.Provider>
    </ReportContext.Provider>
  );
}

/** The user name learned for `instanceKey`'s session on this page, if any. */
export function useLearnedUserName(instanceKey: string | undefined): string | undefined {
  return useContext(NamesContext).get(keyOf(instanceKey));
}

/** Tells the header the user name of this page's instance once it is known. */
export function useReportUserName(userName: string | null): void {
  const instanceKey = useInstanceKey();
  const report = useContext(ReportContext);
  useEffect(() => {
    if (userName && report) report(instanceKey, userName);
  }, [userName, instanceKey, report]);
}
