'use client';

import { DatabaseZap } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { ApiRequestError, portalFetch } from '@/components/api-client';
import { LocalTime } from '@/components/local-time';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { withInstance } from '@/lib/shared/instances';
import type { SavedListingView } from '@/lib/shared/saved-listing';

const accountsText = (count: number) => `${count.toLocaleString('en-US')} ${count === 1 ? 'account' : 'accounts'}`;

/**
 * What Gatehouse keeps of the person between visits: their last complete listing of accounts and
 * roles (sealed, kept across sign-outs so the next visit shows it at once), and the button that
 * forgets it.
 */
export function SavedListings({ listings, several, maxAgeHours }: { listings: SavedListingView[]; several: boolean; maxAgeHours: number }) {
  const router = useRouter();
  const [forgetting, setForgetting] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const forget = (listing: SavedListingView) => {
    setForgetting(listing.instanceName);
    setFailure(null);
    portalFetch(withInstance('/api/saved-listing/forget', listing.instanceKey), { body: {} }).then(
      () => {
        setAnnouncement('Your saved accounts and roles are forgotten. Your next visit lists them from Identity Center.');
        setForgetting(null);
        router.refresh();
      },
      (error: unknown) => {
        setForgetting(null);
        setFailure(error instanceof ApiRequestError ? error.message : 'The saved listing could not be forgotten. Try again.');
      },
    );
  };

  return (
    <section aria-labelledby="saved-listing-heading" className="mt-10">
      <h2 id="saved-listing-heading" className="flex items-center gap-2 text-lg font-semibold">
        <DatabaseZap aria-hidden="true" className="size-5 text-slate-500" />
        Your saved accounts and roles
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        So that your next visit shows them at once, Gatehouse keeps your last complete list of accounts and roles, sealed,
        for up to {maxAgeHours} {maxAgeHours === 1 ? 'hour' : 'hours'}, even after you sign out. It is checked against
        Identity Center each time it is shown, and it never holds a credential.
      </p>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      {failure ? (
        <Alert variant="error" role="alert" className="mt-3">
          {failure}
        </Alert>
      ) : null}
      {listings.length === 0 ? (
        <Alert variant="info" className="mt-4">
          Nothing is saved. Your accounts and roles are saved once a listing of them completes.
        </Alert>
      ) : (
        <ul className="mt-4 space-y-3">
          {listings.map((listing) => (
            <li key={listing.instanceName} className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
              <p>
                {accountsText(listing.accounts)}
                {several ? ` in ${listing.instanceName}` : ''}, listed <LocalTime iso={listing.listedAt} />; kept until{' '}
                <LocalTime iso={listing.keptUntil} />.
              </p>
              <Button variant="secondary" className="px-3 py-1.5" onClick={() => forget(listing)} disabled={forgetting !== null}>
                {forgetting === listing.instanceName ? 'Forgetting…' : several ? `Forget my saved listing in ${listing.instanceName}` : 'Forget my saved listing'}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
