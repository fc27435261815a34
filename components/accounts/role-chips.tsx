import { Highlight } from './highlight';
import type { AccountEntry } from './listing-state';
import { rolesMatchingFirst } from './search';

/** Role chips shown on a collapsed row before "+N more". */
const CHIP_LIMIT = 6;

/** The role names of a collapsed account, matches first and marked. */
export function RoleChips({ entry, tokens }: { entry: AccountEntry; tokens: readonly string[] }) {
  const roles = rolesMatchingFirst(entry, tokens);
  if (roles.length === 0) return <p className="mt-1.5 pl-6 text-xs text-slate-500 dark:text-slate-400">No roles in this account.</p>;
  const shown = roles.slice(0, CHIP_LIMIT);
  const more = roles.length - shown.length;
  return (
    <ul role="list" aria-label="Roles" className="mt-2 flex flex-wrap gap-1.5 pl-6">
      {shown.map(({ name, hit }) => (
        <li
          key={name}
          className={`rounded-full px-2 py-0.5 text-xs ${
            hit
              ? 'bg-amber-50 text-amber-950 ring-1 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-100 dark:ring-amber-700'
              : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
          }`}
        >
          <Highlight text={name} tokens={tokens} />
        </li>
      ))}
      {more > 0 ? (
        <li className="px-1 py-0.5 text-xs text-slate-500 dark:text-slate-400">
          +{more} more
        </li>
      ) : null}
    </ul>
  );
}
