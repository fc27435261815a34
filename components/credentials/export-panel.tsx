'use client';

import { FileDown, LoaderCircle } from 'lucide-react';
import { type RefObject, useEffect } from 'react';

import { portalFetch } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import { buttonClasses } from '@/components/ui/button';

import { downloadText } from './download';
import type { ExportChoices, ExportProgress } from './export-config';
import { RegionOptions } from './region-options';
import { regionOptions } from './regions';

/** Fetches the ready `~/.aws/config` (no secrets in it); `loadedOnly`: with the roles loaded so far, at once. */
async function fetchConfig(onlyFavorites: boolean, region: string, instanceKey: string | undefined, loadedOnly: boolean): Promise<string> {
  const query = new URLSearchParams();
  if (instanceKey) query.set('instance', instanceKey);
  if (onlyFavorites) query.set('favorites', '1');
  if (loadedOnly) query.set('loaded', '1');
  if (region) query.set('region', region);
  const search = query.toString();
  const response = await portalFetch(`/api/aws-config${search ? `?${search}` : ''}`, { method: 'GET' });
  return response.text();
}

/**
 * The inside of the Export panel: what the file is, all roles or only favorites, the profiles' region,
 * and Download, which fetches the file and saves it as `config`; and what closes the panel (a click
 * outside `wrapper`, Escape within it). Loaded only when the panel is first wanted, so the accounts
 * page does not carry it on its first load. The choices live in ExportConfig, so they stay while the
 * panel is closed.
 */
export function ExportPanel({
  id,
  defaultRegion,
  progress,
  choices: { onlyFavorites, region, status },
  onChange,
  wrapper,
  onClose,
}: {
  id: string;
  defaultRegion: string;
  /** Roles are still loading: the file offered now holds those loaded so far. */
  progress: ExportProgress | null;
  choices: ExportChoices;
  onChange: (change: Partial<ExportChoices>) => void;
  /** The panel and its button. */
  wrapper: RefObject<HTMLElement | null>;
  /** `refocus`: give the focus back to the button (Escape). */
  onClose: (refocus: boolean) => void;
}) {
  const instanceKey = useInstanceKey();

  useEffect(() => {
    const around = wrapper.current;
    const onPointerDown = (event: PointerEvent) => {
      if (around && !around.contains(event.target as Node)) onClose(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      // Kept from the page's own Escape (which clears the search).
      event.stopPropagation();
      onClose(true);
    };
    document.addEventListener('pointerdown', onPointerDown);
    around?.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      around?.removeEventListener('keydown', onKeyDown);
    };
  }, [wrapper, onClose]);

  /** Never rejects: a failure is caught and shown in the panel. */
  const download = async () => {
    if (status.kind === 'busy') return;
    onChange({ status: { kind: 'busy' } });
    const partial = progress;
    try {
      downloadText('config', await fetchConfig(onlyFavorites, region, instanceKey, partial !== null));
      onChange({ status: { kind: 'done', partial } });
    } catch (error) {
      onChange({ status: { kind: 'error', message: error instanceof Error ? error.message : 'The file could not be made. Try again.' } });
    }
  };

  return (
    <>
      <p className="font-semibold">~/.aws/config for the AWS CLI and SDKs</p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        One profile per role, signing in with <code className="font-mono text-xs">aws sso login</code>. No secrets in it.
      </p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        Already have a <code className="font-mono text-xs">~/.aws/config</code>? Append the sections it does not have yet, or save
        this file elsewhere and set <code className="font-mono text-xs">AWS_CONFIG_FILE</code> to its path (tools then read that file
        instead).
      </p>
      <fieldset className="mt-3">
        <legend className="font-medium">Profiles for</legend>
        <div className="mt-1 space-y-1">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-which`}
              checked={!onlyFavorites}
              onChange={() => onChange({ onlyFavorites: false })}
              className="size-4 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
            />
            All your roles
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name={`${id}-which`}
              checked={onlyFavorites}
              onChange={() => onChange({ onlyFavorites: true })}
              className="size-4 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
            />
            Only your favorites
          </label>
        </div>
      </fieldset>
      <label htmlFor={`${id}-region`} className="mt-3 block font-medium">
        Default region
      </label>
      <select
        id={`${id}-region`}
        value={region}
        onChange={(event) => onChange({ region: event.target.value })}
        className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base text-slate-900 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <option value="">{defaultRegion} (the portal&apos;s default)</option>
        <RegionOptions regions={regionOptions(defaultRegion).filter((option) => option.code !== defaultRegion)} />
      </select>
      {progress ? (
        <p id={`${id}-progress`} className="mt-3 rounded-md bg-amber-50 px-2.5 py-2 text-amber-950 dark:bg-amber-950/50 dark:text-amber-100">
          Roles are loaded for {progress.loaded.toLocaleString('en')} of {progress.total.toLocaleString('en')} accounts. The file
          offered now has the roles loaded so far; download again once all have loaded for the whole file.
        </p>
      ) : null}
      <button
        type="button"
        aria-describedby={progress ? `${id}-progress` : undefined}
        // download() catches every failure itself.
        onClick={() => void download()}
        aria-disabled={status.kind === 'busy'}
        className={buttonClasses('primary', 'mt-4 w-full')}
      >
        {status.kind === 'busy' ? (
          <LoaderCircle aria-hidden="true" className="size-4 animate-spin motion-reduce:animate-none" />
        ) : (
          <FileDown aria-hidden="true" className="size-4" />
        )}
        {progress ? 'Download what is loaded' : 'Download config'}
      </button>
      <p role="status" className={`mt-2 ${status.kind === 'error' ? 'text-red-700 dark:text-red-300' : 'text-slate-600 dark:text-slate-400'}`}>
        {status.kind === 'busy'
          ? 'Preparing the file…'
          : status.kind === 'done'
            ? status.partial
              ? `Downloaded, with the roles of ${status.partial.loaded.toLocaleString('en')} of ${status.partial.total.toLocaleString('en')} accounts.`
              : 'Downloaded.'
            : status.kind === 'error'
              ? status.message
              : ''}
      </p>
    </>
  );
}
