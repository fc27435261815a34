import { Clock, Star } from 'lucide-react';

import { accountRowProps, AccountRow } from './account-row';
import { type AccountEntry, roleKey } from './listing-state';
import { LostFavorite } from './lost-favorite';
import { sameTarget } from './nav';
import { RoleCard } from './role-card';
import type { RowView } from './row-view';
import { SectionHeading } from './section-heading';
import type { RoleItem } from './use-pinned-groups';

/** Roles listed on their own, each a card naming its account. */
function RoleCards({ section, items, view }: { section: 'favrole' | 'recent'; items: readonly RoleItem[]; view: RowView }) {
  return items.map(({ entry, roleName, lost }) => {
    const { accountId } = entry.account;
    if (lost) {
      return (
        <LostFavorite
          key={roleKey(accountId, roleName)}
          entry={entry}
          roleName={roleName}
          isTabStop={sameTarget(view.tabStop, { section, accountId, roleName })}
          actions={view.actions}
        />
      );
    }
    return (
      <RoleCard
        key={roleKey(accountId, roleName)}
        section={section}
        entry={entry}
        roleName={roleName}
        tokens={view.tokens}
        starred={view.starredRoles.has(roleKey(accountId, roleName))}
        isTabStop={sameTarget(view.tabStop, { section, accountId, roleName })}
        actions={view.actions}
      />
    );
  });
}

/** Favorites: the starred roles, then the starred accounts (which open like any account). */
export function FavoritesSection({
  roles,
  accountIds,
  entries,
  view,
}: {
  roles: readonly RoleItem[];
  accountIds: readonly string[];
  entries: ReadonlyMap<string, AccountEntry>;
  view: RowView;
}) {
  return (
    <section aria-labelledby="favorites-heading" className="mt-6">
      <SectionHeading id="favorites-heading">
        <Star aria-hidden="true" className="size-4 text-amber-500" fill="currentColor" />
        Favorites
      </SectionHeading>
      <ul role="list" className="mt-2 space-y-2">
        <RoleCards section="favrole" items={roles} view={view} />
        {accountIds.map((id) => {
          const entry = entries.get(id);
          return entry ? (
            <li key={id}>
              <AccountRow {...accountRowProps(view, 'fav', entry, true)} />
            </li>
          ) : null;
        })}
      </ul>
    </section>
  );
}

/** Recent: the roles the person used lately, newest first. */
export function RecentSection({ roles, view }: { roles: readonly RoleItem[]; view: RowView }) {
  return (
    <section aria-labelledby="recent-heading" className="mt-6">
      <SectionHeading id="recent-heading">
        <Clock aria-hidden="true" className="size-4 text-slate-500" />
        Recent
      </SectionHeading>
      <ul role="list" className="mt-2 space-y-2">
        <RoleCards section="recent" items={roles} view={view} />
      </ul>
    </section>
  );
}
