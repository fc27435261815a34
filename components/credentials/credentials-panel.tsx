'use client';

import { Eye, EyeOff, KeyRound, LoaderCircle, RefreshCw, ShieldAlert, Timer, TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useId, useState } from 'react';

import { ApiRequestError } from '@/components/api-client';
import { useInstanceKey, useInstancePath } from '@/components/instance-context';
import { clockTime, timeLeftInSeconds, wholeSeconds } from '@/components/time-text';
import { Alert } from '@/components/ui/alert';
import { buttonClasses, focusRing } from '@/components/ui/button';
import { useNow } from '@/components/use-now';
import {
  type CredentialFormat,
  type CredentialsDTO,
  defaultProfileName,
  formatCredentials,
  type FormatOptions,
  PROFILE_NAME_PATTERN,
  UnsafeCredentialValueError,
} from '@/lib/shared/credential-text';

import { CopyButton } from '@/components/ui/copy-button';
import { FormatTabs } from './format-tabs';
import { RegionOptions } from './region-options';
import { regionOptions } from './regions';
import { withBusyRetries } from './busy-retries';
import { requestCredentials } from './request';

/** What stands on screen instead of a secret until the person reveals it (same length for every secret). */
const MASK = '•'.repeat(16);
/** Said once, when this much time is left. */
const EXPIRY_WARNING_MS = 5 * 60_000;
/** When Identity Center is busy and says nothing about waiting. */
const DEFAULT_RETRY_SECONDS = 5;

type Failure =
  | { kind: 'forbidden' }
  | { kind: 'busy'; retryAt: number }
  | { kind: 'other'; message: string };

/** The text as the screen shows it before Show secrets: the secret key and session token masked where they appear. */
const masked = (text: string, credentials: CredentialsDTO): string =>
  text.split(credentials.secretAccessKey).join(MASK).split(credentials.sessionToken).join(MASK);

/** The credentials in a format, or a sentence saying the format cannot carry them safely. */
function formatted(credentials: CredentialsDTO, format: CredentialFormat, options: FormatOptions): string {
  try {
    return formatCredentials(credentials, format, options);
  } catch (error) {
    if (error instanceof UnsafeCredentialValueError) return `# ${error.message}\n`;
    throw error;
  }
}

const inputClasses =
  'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base text-slate-900 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600 disabled:opacity-60 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';

function FailureMessage({ failure, now, roleName, accountLabel }: { failure: Failure; now: number; roleName: string; accountLabel: string }) {
  const instancePath = useInstancePath();
  if (failure.kind === 'forbidden') {
    return (
      <Alert variant="error" size="md" icon={ShieldAlert} role="alert" className="mt-4">
        <p className="font-medium">You do not have this role.</p>
        <p className="mt-1">
          {roleName} in {accountLabel} is not assigned to you in IAM Identity Center, so Gatehouse cannot hand out access keys
          for it. If you need it, ask your administrator to assign it to you.
        </p>
        <p className="mt-2">
          <Link href={instancePath('/accounts')} className={`rounded font-medium underline ${focusRing}`}>
            Back to your accounts
          </Link>
        </p>
      </Alert>
    );
  }
  if (failure.kind === 'busy') {
    const seconds = wholeSeconds(failure.retryAt - now);
    return (
      <Alert variant="warning" size="md" icon={Timer} role="alert" className="mt-4">
        {/* The seconds count down without being read out every second. */}
        <p aria-live="off">
          {seconds > 0 ? `Identity Center is busy, try again in ${seconds} s.` : 'Identity Center was busy. You can try again now.'}
        </p>
      </Alert>
    );
  }
  return (
    <Alert variant="error" size="md" icon={TriangleAlert} role="alert" className="mt-4">
      <p>{failure.message}</p>
    </Alert>
  );
}

/** Access key id, secret and token on their own, each with its own Copy button, as the AWS access portal shows them. */
function IndividualValues({ credentials, revealed }: { credentials: CredentialsDTO; revealed: boolean }) {
  const values = [
    { label: 'AWS access key ID', value: credentials.accessKeyId, secret: false },
    { label: 'AWS secret access key', value: credentials.secretAccessKey, secret: true },
    { label: 'AWS session token', value: credentials.sessionToken, secret: true },
  ];
  return (
    <dl className="space-y-3">
      {values.map(({ label, value, secret }) => (
        <div key={label} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <dt className="flex flex-wrap items-center justify-between gap-2 text-sm font-medium">
            <span>{label}</span>
            <CopyButton text={value} label={`Copy ${label}`} />
          </dt>
          <dd className="mt-1.5 max-h-24 overflow-auto break-all font-mono text-xs text-slate-700 dark:text-slate-300">
            {secret && !revealed ? (
              <>
                <span aria-hidden="true">{MASK}</span>
                <span className="sr-only">Hidden. Press Show secrets to see it.</span>
              </>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The access keys of one role: fetched only when the person asks (POST /api/credentials), kept in
 * this component's memory only (never in storage or a URL), shown with a live countdown to expiry
 * and dropped from the page when they expire. Secrets are masked until revealed; Copy and Download
 * use the full text, in every format, with an optional region line.
 */
export function CredentialsPanel({
  accountId,
  roleName,
  accountName,
  defaultRegion,
}: {
  accountId: string;
  roleName: string;
  /** Null until known (or when the account is not in the person's listing). */
  accountName: string | null;
  defaultRegion: string;
}) {
  const instanceKey = useInstanceKey();
  const [credentials, setCredentials] = useState<CredentialsDTO | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [expiredAt, setExpiredAt] = useState<number | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [format, setFormat] = useState<CredentialFormat>('env');
  const [withRegion, setWithRegion] = useState(false);
  const [region, setRegion] = useState(defaultRegion);
  /** Null: the default name (it follows the account name once that is known). */
  const [profileInput, setProfileInput] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const id = useId();

  const expiresAt = credentials ? Date.parse(credentials.expiration) : null;
  const retryAt = failure?.kind === 'busy' ? failure.retryAt : null;
  const now = useNow(expiresAt !== null || retryAt !== null);
  // Past expiry (a sleeping laptop can delay the timer below), the keys are no longer offered.
  const live = credentials !== null && expiresAt !== null && now < expiresAt ? credentials : null;
  const accountLabel = accountName ? `${accountName} (${accountId})` : accountId;

  // Expired access keys leave the page; the person is warned a little before, told when, and offered fresh ones.
  useEffect(() => {
    if (expiresAt === null) return;
    const left = expiresAt - Date.now();
    const timers: ReturnType<typeof setTimeout>[] = [];
    if (left > EXPIRY_WARNING_MS) {
      timers.push(setTimeout(() => setAnnouncement(`The access keys expire in ${EXPIRY_WARNING_MS / 60_000} minutes.`), left - EXPIRY_WARNING_MS));
    }
    timers.push(
      setTimeout(() => {
        setCredentials(null);
        setRevealed(false);
        setExpiredAt(expiresAt);
        setAnnouncement('The access keys have expired. Get fresh access keys to go on.');
      }, Math.max(0, left)),
    );
    return () => timers.forEach(clearTimeout);
  }, [expiresAt]);

  /** Never rejects: every failure is caught and shown as a Failure. */
  const getCredentials = async () => {
    if (pending) return;
    setPending(true);
    setFailure(null);
    setAnnouncement('Getting access keys…');
    try {
      const received = await withBusyRetries(() => requestCredentials(accountId, roleName, instanceKey));
      const left = Date.parse(received.expiration) - Date.now();
      setCredentials(received);
      setExpiredAt(null);
      setRevealed(false);
      setAnnouncement(`Access keys received. They expire at ${clockTime(Date.parse(received.expiration))}, in ${timeLeftInSeconds(left)}.`);
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 401) return; // on the way to sign in
      if (error instanceof ApiRequestError && error.status === 403 && error.code === 'forbidden') {
        setCredentials(null);
        setFailure({ kind: 'forbidden' });
      } else if (error instanceof ApiRequestError && (error.status === 503 || error.status === 429)) {
        setFailure({ kind: 'busy', retryAt: Date.now() + (error.retryAfterSeconds ?? DEFAULT_RETRY_SECONDS) * 1000 });
      } else {
        setFailure({ kind: 'other', message: error instanceof Error ? error.message : 'The access keys could not be fetched. Try again.' });
      }
      setAnnouncement('');
    } finally {
      setPending(false);
    }
  };

  const defaultProfile = defaultProfileName(accountName ?? accountId, roleName);
  const profileName = profileInput ?? defaultProfile;
  const profileValid = PROFILE_NAME_PATTERN.test(profileName);
  const options = { region: withRegion ? region : undefined, profileName };
  const fullText = live ? formatted(live, format, options) : '';
  const shownText = live ? (revealed ? fullText : masked(fullText, live)) : '';
  const expiredShown = live === null ? (expiredAt ?? expiresAt) : null;
  const regions = regionOptions(defaultRegion);
  const hasHad = credentials !== null || expiredAt !== null;

  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
      <h2 id={`${id}-heading`} className="flex items-center gap-2 text-lg font-semibold">
        <KeyRound aria-hidden="true" className="size-5 text-slate-500" />
        Access keys
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Short-lived credentials for this role, for the AWS CLI, SDKs and tools. Gatehouse fetches them from Identity Center
        only when you ask and does not keep them: they are gone from this page when you leave it, but stay valid until
        they expire.
      </p>

      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button
          type="button"
          // getCredentials() catches every failure itself.
          onClick={() => void getCredentials()}
          aria-disabled={pending}
          aria-busy={pending}
          className={buttonClasses('primary', pending ? 'cursor-wait opacity-80' : '')}
        >
          {pending ? (
            <LoaderCircle aria-hidden="true" className="size-4 animate-spin motion-reduce:animate-none" />
          ) : hasHad ? (
            <RefreshCw aria-hidden="true" className="size-4" />
          ) : (
            <KeyRound aria-hidden="true" className="size-4" />
          )}
          {hasHad ? 'Get fresh access keys' : 'Get access keys'}
        </button>
        {live && expiresAt !== null ? (
          <>
            <p className="text-sm">
              Valid until <time dateTime={live.expiration}>{clockTime(expiresAt)}</time>
              <span aria-hidden="true"> · </span>
              <span role="timer" className="font-medium tabular-nums">
                expires in {timeLeftInSeconds(expiresAt - now)}
              </span>
            </p>
            <button
              type="button"
              aria-pressed={revealed}
              onClick={() => setRevealed((value) => !value)}
              className={`${buttonClasses('secondary', 'px-3 py-1.5')} sm:ml-auto aria-pressed:bg-slate-100 dark:aria-pressed:bg-slate-800`}
            >
              {revealed ? <EyeOff aria-hidden="true" className="size-4" /> : <Eye aria-hidden="true" className="size-4" />}
              Show secrets
            </button>
          </>
        ) : null}
      </div>

      {/* Always in the page, so the news is read out when it changes. */}
      <p role="status" className="sr-only">
        {announcement}
      </p>

      {failure ? <FailureMessage failure={failure} now={now} roleName={roleName} accountLabel={accountLabel} /> : null}

      {expiredShown !== null ? (
        <Alert variant="warning" size="md" icon={Timer} className="mt-4">
          <p>
            These access keys expired at <time dateTime={new Date(expiredShown).toISOString()}>{clockTime(expiredShown)}</time>. Get fresh
            access keys to go on.
          </p>
        </Alert>
      ) : null}

      {live ? (
        <div className="mt-6 space-y-6">
          <fieldset className="flex min-w-0 flex-wrap items-center gap-x-4 gap-y-2">
            <legend className="sr-only">Region</legend>
            <label className="inline-flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={withRegion}
                onChange={(event) => setWithRegion(event.target.checked)}
                className={`size-4 rounded accent-brand-600 ${focusRing}`}
              />
              Add a region line
            </label>
            <label className="flex w-full min-w-0 items-center gap-2 text-sm sm:w-auto">
              <span className={withRegion ? '' : 'text-slate-500'}>Region</span>
              <select
                value={region}
                disabled={!withRegion}
                onChange={(event) => setRegion(event.target.value)}
                className={`${inputClasses} min-w-0 flex-1 sm:flex-none`}
              >
                <RegionOptions regions={regions} />
              </select>
            </label>
          </fieldset>

          <FormatTabs
            format={format}
            onFormat={setFormat}
            shownText={shownText}
            fullText={fullText}
            blocked={format === 'ini' && !profileValid ? 'Fix the profile name to copy or download.' : null}
          >
            {format === 'ini' ? (
              <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
                <label htmlFor={`${id}-profile`} className="pt-1.5 text-sm font-medium">
                  Profile name
                </label>
                <div className="min-w-0 flex-1">
                  <input
                    id={`${id}-profile`}
                    value={profileName}
                    onChange={(event) => setProfileInput(event.target.value)}
                    aria-invalid={!profileValid}
                    aria-describedby={`${id}-profile-help`}
                    autoComplete="off"
                    autoCapitalize="none"
                    spellCheck={false}
                    maxLength={64}
                    className={`${inputClasses} w-full max-w-sm font-mono aria-invalid:border-red-600`}
                  />
                  <p id={`${id}-profile-help`} className={`mt-1 text-xs ${profileValid ? 'text-slate-500 dark:text-slate-400' : 'text-red-700 dark:text-red-300'}`}>
                    {profileValid
                      ? `Use it with --profile ${profileName}.`
                      : 'A profile name is 1 to 64 letters, digits and . _ @ + -'}
                  </p>
                </div>
              </div>
            ) : null}
          </FormatTabs>

          <section aria-labelledby={`${id}-values`}>
            <h3 id={`${id}-values`} className="text-sm font-semibold">
              Individual values
            </h3>
            <div className="mt-2">
              <IndividualValues credentials={live} revealed={revealed} />
            </div>
          </section>
        </div>
      ) : null}
    </section>
  );
}
