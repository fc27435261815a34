'use client';

import { Eye, EyeOff, KeyRound, LoaderCircle, RefreshCw, Timer } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';

import { clockTime, timeLeftInSeconds } from '@/components/time-text';
import { Alert } from '@/components/ui/alert';
import { buttonClasses, focusRing } from '@/components/ui/button';
import {
  type CredentialFormat,
  type CredentialsDTO,
  defaultProfileName,
  formatCredentials,
  type FormatOptions,
  PROFILE_NAME_PATTERN,
  UnsafeCredentialValueError,
} from '@/lib/shared/credential-text';

import { FailureMessage, IndividualValues } from './credential-parts';
import { FormatTabs } from './format-tabs';
import { RegionOptions } from './region-options';
import { regionOptions } from './regions';
import { useRoleCredentials } from './use-credentials';

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

export interface CredentialsBodyProps {
  accountId: string;
  roleName: string;
  /** Null until known (or when the account is not in the person's listing). */
  accountName: string | null;
  defaultRegion: string;
  /** Fetch the access keys as soon as shown (the keys dialog), rather than when asked (the role page). */
  fetchAtOnce?: boolean;
}

/**
 * The access keys of one role, with everything done with them: Get (or fresh) access keys, the
 * countdown to expiry, Show or Hide secrets (masked until shown), the region line, every format with
 * Copy and Download, and the three values on their own. Copy and Download always use the full text.
 * Shown on the role page and in the keys dialog of the accounts list.
 */
export function CredentialsBody({ accountId, roleName, accountName, defaultRegion, fetchAtOnce = false }: CredentialsBodyProps) {
  const keys = useRoleCredentials(accountId, roleName);
  const { live, expiresAt, pending, failure, now } = keys;
  // Revealed for these access keys only: fresh ones start hidden.
  const [revealedFor, setRevealedFor] = useState<CredentialsDTO | null>(null);
  const revealed = live !== null && revealedFor === live;
  const [format, setFormat] = useState<CredentialFormat>('env');
  // On by default: the first `aws` command in a clean shell needs a region, and the CLI's own
  // export-credentials text (byte for byte the same with this off) leaves it out.
  const [withRegion, setWithRegion] = useState(true);
  const [region, setRegion] = useState(defaultRegion);
  /** Null: the default name (it follows the account name once that is known). */
  const [profileInput, setProfileInput] = useState<string | null>(null);
  const id = useId();
  const accountLabel = accountName ? `${accountName} (${accountId})` : accountId;

  const fetched = useRef(false);
  const { get } = keys;
  useEffect(() => {
    if (!fetchAtOnce || fetched.current) return;
    fetched.current = true;
    void get();
  }, [fetchAtOnce, get]);

  const defaultProfile = defaultProfileName(accountName ?? accountId, roleName);
  const profileName = profileInput ?? defaultProfile;
  const profileValid = PROFILE_NAME_PATTERN.test(profileName);
  const options = { region: withRegion ? region : undefined, profileName };
  const fullText = live ? formatted(live, format, options) : '';
  const { expiredShown, hasHad } = keys;
  const regions = regionOptions(defaultRegion);

  return (
    <div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          // get() catches every failure itself.
          onClick={() => void get()}
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
              onClick={() => setRevealedFor(revealed ? null : live)}
              className={buttonClasses('secondary', 'px-3 py-1.5 sm:ml-auto')}
            >
              {revealed ? <EyeOff aria-hidden="true" className="size-4" /> : <Eye aria-hidden="true" className="size-4" />}
              {revealed ? 'Hide secrets' : 'Show secrets'}
            </button>
          </>
        ) : null}
      </div>

      {/* Always in the page, so the news is read out when it changes. */}
      <p role="status" className="sr-only">
        {keys.announcement}
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
              Set the region
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
            fullText={fullText}
            secrets={[live.secretAccessKey, live.sessionToken]}
            revealed={revealed}
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
    </div>
  );
}

/** The role page's access keys: the body under its heading, fetched when the person asks. */
export function CredentialsPanel(props: Omit<CredentialsBodyProps, 'fetchAtOnce'>) {
  const id = useId();
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
      <div className="mt-4">
        <CredentialsBody {...props} />
      </div>
    </section>
  );
}
