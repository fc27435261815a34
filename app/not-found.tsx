import type { Metadata } from 'next';

import Link from 'next/link';

import { ErrorPage } from '@/components/error-page';
import { notFoundStory } from '@/lib/server/dal/not-found';
import { currentRequestId, portalSettings } from '@/lib/server/dal/portal';
import { ERRORS } from '@/lib/shared/errors';

export const metadata: Metadata = { title: ERRORS.not_found.title };

/**
 * Any page that does not exist, and any page for something that is not the person's (notFound()):
 * it says which part of the address is wrong, and for a role the person does not have in one of
 * their accounts, lists the roles they have there.
 */
export default async function NotFound() {
  const story = await notFoundStory();
  return (
    <ErrorPage title={ERRORS.not_found.title} message={story.message} requestId={await currentRequestId()} chrome={portalSettings().chrome}>
      {story.account ? (
        <section aria-labelledby="roles-here-heading" className="w-full">
          <h2 id="roles-here-heading" className="text-base font-semibold">
            Your roles in {story.account.accountName}
          </h2>
          {story.account.roles.length === 0 ? (
            <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">None.</p>
          ) : (
            <ul className="mt-2 space-y-1 text-sm">
              {story.account.roles.map((role) => (
                <li key={role}>
                  <Link href={`/accounts/${story.account?.accountId}/${encodeURIComponent(role)}`} className="font-medium text-brand-700 underline dark:text-brand-100">
                    {role}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </ErrorPage>
  );
}
