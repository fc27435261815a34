import { LogIn } from 'lucide-react';
import Link from 'next/link';

import { withInstance } from '@/lib/shared/instances';

export interface InstanceTab {
  key: string;
  name: string;
  /** The Identity Center user signed in there, when known; null when not signed in there. */
  user: string | null | undefined;
  signedIn: boolean;
}

/**
 * With several Identity Center instances: one tab per instance above the accounts, each a link
 * (`/accounts?instance=…`), so the choice is in the URL and survives a reload or a shared link.
 * Instances the person is not signed in to offer a sign-in instead.
 */
export function InstanceTabs({ tabs, current, path }: { tabs: InstanceTab[]; current: string; path: string }) {
  return (
    <nav aria-label="Identity Center instances" className="mb-4 border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex flex-wrap gap-x-1">
        {tabs.map((tab) => {
          const selected = tab.key === current;
          const href = tab.signedIn ? withInstance(path, tab.key) : withInstance(`/sign-in?next=${encodeURIComponent(withInstance(path, tab.key))}`, tab.key);
          return (
            <li key={tab.key}>
              <Link
                href={href}
                aria-current={selected ? 'page' : undefined}
                className={`inline-flex items-center gap-2 rounded-t-md border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
                  selected
                    ? 'border-brand-600 font-semibold text-slate-950 dark:text-white'
                    : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
                }`}
              >
                {tab.signedIn ? null : <LogIn aria-hidden="true" className="size-4" />}
                <span>{tab.name}</span>
                {tab.signedIn ? (
                  tab.user ? <span className="font-normal text-slate-500 dark:text-slate-400">{tab.user}</span> : null
                ) : (
                  <span className="font-normal text-slate-500 dark:text-slate-400">sign in</span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
