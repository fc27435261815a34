'use client';

import { ExternalLink, MonitorSmartphone } from 'lucide-react';
import { useId, useState, useSyncExternalStore } from 'react';

import { useInstanceKey } from '@/components/instance-context';
import { AccountLabels } from '@/components/ui/account-labels';
import { buttonClasses } from '@/components/ui/button';
import type { AccountLabel } from '@/lib/shared/account-labels';
import { isConsoleDestination, regionOfDestination } from '@/lib/shared/console-destination';
import { CONSOLE_SESSION_HOURS, type ConsoleSessionHours } from '@/lib/shared/console-session';

import { CopyButton } from '@/components/ui/copy-button';
import { consoleShortcutPath } from './links';
import { RegionOptions } from './region-options';
import { regionOptions } from './regions';

/** Console pages people open most; "" is Console Home (or the permission set's own start page). */
const DESTINATIONS = [
  { path: '', label: 'Console Home' },
  { path: '/ec2/home', label: 'EC2' },
  { path: '/s3/home', label: 'S3' },
  { path: '/iam/home', label: 'IAM' },
  { path: '/lambda/home', label: 'Lambda' },
  { path: '/cloudwatch/home', label: 'CloudWatch' },
  { path: '/cloudformation/home', label: 'CloudFormation' },
  { path: '/rds/home', label: 'RDS' },
  { path: '/dynamodbv2/home', label: 'DynamoDB' },
  { path: '/vpc/home', label: 'VPC' },
  { path: '/eks/home', label: 'EKS' },
  { path: '/ecs/home', label: 'ECS' },
  { path: '/costmanagement/home', label: 'Billing and Cost Management' },
] as const;

const OTHER = 'other';

const noSubscription = () => () => {};

const inputClasses =
  'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base text-slate-900 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';

/** "" sends no session length: the console session then lasts as long as the role credentials. */
const AS_LONG_AS_CREDENTIALS = '';

/**
 * Console sign-in for the role: a region, an optional page to land on, how long the console session
 * lasts (the person's remembered choice to begin with), an "Open console" link to the portal's
 * console shortcut (a new tab), and that shortcut as a URL to copy and bookmark.
 */
export function ConsolePanel({
  accountId,
  roleName,
  defaultRegion,
  sessionHours: rememberedHours,
  labels = [],
}: {
  accountId: string;
  roleName: string;
  defaultRegion: string;
  /** The console session length the person chose last time, if any. */
  sessionHours?: ConsoleSessionHours;
  /** The organisation's labels on the account (`production`): said on the button itself. */
  labels?: readonly AccountLabel[];
}) {
  const labelWords = labels.map((label) => label.label).join(', ');
  const instanceKey = useInstanceKey();
  const id = useId();
  const [region, setRegion] = useState(defaultRegion);
  const [choice, setChoice] = useState<string>('');
  const [otherPath, setOtherPath] = useState('');
  const [hours, setHours] = useState<string>(rememberedHours === undefined ? AS_LONG_AS_CREDENTIALS : String(rememberedHours));
  // The shortcut as an absolute URL, for bookmarks; the server render has no origin to offer.
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );

  const destination = choice === OTHER ? otherPath.trim() : choice;
  const destinationValid = destination === '' || isConsoleDestination(destination);
  const path = consoleShortcutPath(accountId, roleName, {
    region,
    destination: destinationValid ? destination || undefined : undefined,
    sessionHours: hours === AS_LONG_AS_CREDENTIALS ? undefined : Number(hours),
    instanceKey,
  });
  // A console page typed in with a region of its own (us-west-2.console.aws.amazon.com) opens there.
  const options = regionOptions(defaultRegion);
  const regions = options.some((option) => option.code === region) ? options : [{ code: region, name: "The console page's region" }, ...options];
  const onOtherPath = (value: string) => {
    setOtherPath(value);
    const own = isConsoleDestination(value.trim()) ? regionOfDestination(value.trim()) : undefined;
    if (own) setRegion(own);
  };
  const shortcut = `${origin}${path}`;

  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-xl border border-slate-200 p-4 sm:p-6 dark:border-slate-800">
      <h2 id={`${id}-heading`} className="flex items-center gap-2 text-lg font-semibold">
        <MonitorSmartphone aria-hidden="true" className="size-5 text-slate-500" />
        Console
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        Sign in to the AWS Management Console as this role, in a new tab. Gatehouse signs you in each time you open it.
      </p>

      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-region`} className="block text-sm font-medium">
            Console region
          </label>
          <select id={`${id}-region`} value={region} onChange={(event) => setRegion(event.target.value)} className={`${inputClasses} mt-1`}>
            <RegionOptions regions={regions} />
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-destination`} className="block text-sm font-medium">
            Open at
          </label>
          <select id={`${id}-destination`} value={choice} onChange={(event) => setChoice(event.target.value)} className={`${inputClasses} mt-1`}>
            {DESTINATIONS.map((option) => (
              <option key={option.path} value={option.path}>
                {option.label}
                {option.path ? ` (${option.path})` : ''}
              </option>
            ))}
            <option value={OTHER}>Another page…</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-hours`} className="block text-sm font-medium">
            Console session
          </label>
          <select
            id={`${id}-hours`}
            value={hours}
            onChange={(event) => setHours(event.target.value)}
            aria-describedby={`${id}-hours-help`}
            className={`${inputClasses} mt-1`}
          >
            {rememberedHours === undefined ? <option value={AS_LONG_AS_CREDENTIALS}>As long as the access keys</option> : null}
            {CONSOLE_SESSION_HOURS.map((value) => (
              <option key={value} value={String(value)}>
                {value} {value === 1 ? 'hour' : 'hours'}
              </option>
            ))}
          </select>
          <p id={`${id}-hours-help`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Remembered for you when you open the console.
          </p>
        </div>
        {choice === OTHER ? (
          <div className="sm:col-span-2">
            <label htmlFor={`${id}-path`} className="block text-sm font-medium">
              Console page
            </label>
            <input
              id={`${id}-path`}
              value={otherPath}
              onChange={(event) => onOtherPath(event.target.value)}
              placeholder="/ec2/home#Instances:"
              aria-invalid={!destinationValid}
              aria-describedby={`${id}-path-help`}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              className={`${inputClasses} mt-1 font-mono aria-invalid:border-red-600`}
            />
            <p id={`${id}-path-help`} className={`mt-1 text-xs ${destinationValid ? 'text-slate-500 dark:text-slate-400' : 'text-red-700 dark:text-red-300'}`}>
              {destinationValid
                ? 'A path on the console, such as /ec2/home, or a console URL.'
                : 'Not a console page: use a path such as /ec2/home, or an https URL on the AWS console.'}
            </p>
          </div>
        ) : null}
      </div>

      <div className="mt-4 flex flex-wrap items-center gap-3">
        <AccountLabels labels={labels} />
        {destinationValid ? (
          <a href={path} target="_blank" rel="noopener noreferrer" className={buttonClasses('primary')}>
            <ExternalLink aria-hidden="true" className="size-4" />
            Open console
            {labelWords ? <span className="sr-only"> of a {labelWords} account</span> : null}
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        ) : (
          <button type="button" disabled className={buttonClasses('primary')}>
            <ExternalLink aria-hidden="true" className="size-4" />
            Open console
          </button>
        )}
      </div>

      <div className="mt-5">
        <label htmlFor={`${id}-shortcut`} className="block text-sm font-medium">
          Shortcut <span className="font-normal text-slate-600 dark:text-slate-400">(bookmark this: it signs you in to this console page in one step)</span>
        </label>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <input
            id={`${id}-shortcut`}
            readOnly
            value={shortcut}
            onFocus={(event) => event.currentTarget.select()}
            className={`${inputClasses} min-w-0 flex-1 font-mono text-xs sm:text-xs`}
          />
          <CopyButton text={shortcut} label="Copy shortcut" />
        </div>
      </div>
    </section>
  );
}
