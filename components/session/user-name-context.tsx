'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';

import { useInstanceKey } from '@/components/instance-context';

/**
 * The person's Identity Center user name as the page learns it: the accounts listing names them
 * before the session does, and the header shows it at once. It is kept with the instance it was
 * learned for, so a name learned in one organisation is never shown for another. Reporting and
 * reading are two contexts, so the page that reports does not re-render when the name arrives.
 */
interface Learned {
  instanceKey: string | undefined;
  userName: string;
}

const ReportContext = createContext<((learned: Learned) => void) | null>(null);
const LearnedContext = createContext<Learned | null>(null);

export function LearnedUserNameProvider({ children }: { children: ReactNode }) {
  const [learned, setLearned] = useState<Learned | null>(null);
  return (
    <ReportContext.Provider value={setLearned}>
      <LearnedContext.Provider value={learned}>{children}</LearnedContext.Provider>
    </ReportContext.Provider>
  );
}

/** The user name learned for `instanceKey`'s session on this page, if any. */
export function useLearnedUserName(instanceKey: string | undefined): string | undefined {
  const learned = useContext(LearnedContext);
  return learned?.instanceKey === instanceKey ? learned?.userName : undefined;
}

/** Tells the header the user name of this page's instance once it is known. */
export function useReportUserName(userName: string | null): void {
  const instanceKey = useInstanceKey();
  const report = useContext(ReportContext);
  useEffect(() => {
    if (userName && report) report({ instanceKey, userName });
  }, [userName, instanceKey, report]);
}
