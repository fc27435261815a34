import type { Metadata } from 'next';

import { LocalTime } from '@/components/local-time';
import { PageShell } from '@/components/page-shell';
import { Alert } from '@/components/ui/alert';
import { SavedListings } from '@/components/activity/saved-listing';
import { TerminalSessions } from '@/components/activity/terminal-sessions';
import { activity, savedListings, type StoredAuditEvent, terminalSessions } from '@/lib/server/dal/activity';
import { portalSettings } from '@/lib/server/dal/portal';
import { requireSession } from '@/lib/server/dal/session';

export const metadata: Metadata = { title: 'Activity' };

const LABELS: Record<StoredAuditEvent['event'], string> = {
  authn_login_success: 'Signed in',
  authn_login_fail: 'Sign-in failed',
  session_logout: 'Signed out',
  session_expired: 'Session ended',
  credentials_issued: 'Took access keys',
  console_signin: 'Opened the console',
  authz_fail: 'Refused: not your account or role',
  input_validation_fail: 'Refused: malformed request',
  rate_limited: 'Refused: too many requests',
  identity_mismatch: 'Signed out: identity did not match',
  session_identified: 'Recognised as your Identity Center user',
  terminal_login_confirmed: 'Confirmed a terminal sign-in',
  terminal_login_refused: 'Refused a terminal sign-in',
  terminal_session_evicted: 'Terminal session ended for a newer one',
};

const REASONS: Record<string, string> = {
  idle: 'unused for too long',
  absolute: 'reached its maximum length',
  refresh_rejected: 'Identity Center ended it',
  token_expired: 'Identity Center sign-in expired',
  unauthorized: 'Identity Center no longer accepted it',
  denied: 'denied',
  expired: 'code expired',
  revoked: 'revoked from this page',
  evicted: 'a newer terminal took its place',
  key_changed: "the portal's session key changed",
  declined: 'declined in the portal',
  identity_differs: 'approved at Identity Center by someone else',
  identity_unknown: 'Identity Center did not say who approved',
};

export default async function ActivityPage() {
  const session = await requireSession();
  const portal = portalSettings();
  const several = portal.several;
  const { events, unnamed, instanceNames: names } = await activity(session);
  const terminals = await terminalSessions(session);
  const saved = await savedListings(session);
  return (
    <PageShell emulatorUrl={portal.emulatorUrl} session={session} current="activity" mainClassName="mx-auto max-w-5xl px-4 py-10">
        <h1 className="text-2xl font-semibold tracking-tight">Your activity</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          Credentials and console sign-ins you took through Gatehouse, and your sessions. Credentials stay valid until
          they expire, even after you sign out.
        </p>
        {unnamed ? (
          <Alert variant="info" className="mt-6">
            Gatehouse has not learned your Identity Center user name yet: it learns it from a role assigned to you, and
            none has been found so far. Until then, this page lists what happened in this browser&rsquo;s session only.
          </Alert>
        ) : null}
        {events.length === 0 ? (
          <Alert variant="info" className="mt-6">
            Nothing yet. Your sign-ins and sign-outs, the access keys and console sign-ins you take, and the refusals of
            requests made with your session will appear here, newest first.
          </Alert>
        ) : (
          <div className="mt-6 overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Your recent activity, newest first</caption>
              <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">When</th>
                  <th scope="col" className="py-2 pr-4 font-medium">What</th>
                  {several ? <th scope="col" className="py-2 pr-4 font-medium">Instance</th> : null}
                  <th scope="col" className="py-2 pr-4 font-medium">Account</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Role</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Access key</th>
                  <th scope="col" className="py-2 font-medium">Expires</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event, index) => (
                  <tr key={`${event.time}-${index}`} className="border-b border-slate-100 dark:border-slate-900">
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <LocalTime iso={event.time} />
                    </td>
                    <td className="py-2 pr-4">
                      {LABELS[event.event] ?? event.event}
                      {event.via === 'terminal' ? <span className="text-slate-500"> (terminal{event.cached ? ', from the portal’s cache' : ''})</span> : null}
                      {event.reason ? <span className="text-slate-500"> ({REASONS[event.reason] ?? event.reason})</span> : null}
                    </td>
                    {several ? <td className="py-2 pr-4">{names.get(event.instance) ?? ''}</td> : null}
                    <td className="py-2 pr-4 font-mono">{event.accountId ?? ''}</td>
                    <td className="py-2 pr-4">{event.roleName ?? ''}</td>
                    <td className="py-2 pr-4 font-mono">{event.accessKeyId ?? ''}</td>
                    <td className="py-2 whitespace-nowrap">{event.expiration ? <LocalTime iso={event.expiration} /> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <TerminalSessions sessions={terminals} several={several} />
        {saved.length > 0 || session.user !== undefined ? (
          <SavedListings listings={saved} several={several} maxAgeHours={portal.listingMaxAgeHours} />
        ) : null}
    </PageShell>
  );
}
