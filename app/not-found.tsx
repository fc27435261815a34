import type { Metadata } from 'next';

import { ErrorPage } from '@/components/error-page';
import { currentRequestId, portalSettings } from '@/lib/server/dal/portal';
import { ERRORS } from '@/lib/shared/errors';

export const metadata: Metadata = { title: ERRORS.not_found.title };

/** Any page that does not exist, and any page for something that is not the person's (notFound()). */
export default async function NotFound() {
  return (
    <ErrorPage
      title={ERRORS.not_found.title}
      message="This page could not be found."
      requestId={await currentRequestId()}
      emulatorUrl={portalSettings().emulatorUrl}
    />
  );
}
