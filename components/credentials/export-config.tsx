'use client';

import { FileDown, LoaderCircle } from 'lucide-react';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

import { portalFetch } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import { buttonClasses } from '@/components/ui/button';

import { downloadText } from './download';
import { RegionOptions } from './region-options';
import { COMMON_REGIONS } from './regions';

/** Fetches the ready `~/.aws/config` (no secrets in it) and saves it as `config`. */
async function fetchConfig(onlyFavorites: boolean, region: string, instanceKey: string | undefined): Promise<string> {
  const query = new URLSearchParams();
  if (instanceKey) query.set('instance', instanceKey);
  if (onlyFavorites) query.set('favorites', '1');
  if (region) query.set('region', region);
  const search = query.toString();
  const response = await portalFetch(`/api/aws-config${search ? `?${search}` : ''}`, { method: 'GET' });
  return response.text();
}

/**
 * "Export ~/.aws/config" on the accounts page: a small panel to choose all roles or only favorites
 * and the profiles' region (the portal's default unless chosen), then download the file. The AWS CLI
 * and SDKs sign in with it through `aws sso login`; it holds no credentials.
 */
export function ExportConfig({ defaultRegion }: { defaultRegion: string }) {
  const instanceKey = useInstanceKey();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [onlyFavorites, setOnlyFavorites] = useState(false);
  const [region, setRegion] = useState('');
  const [status, setStatus] = useState<{ kind: 'idle' | 'busy' | 'done' } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const wrapper = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  // A click anywhere else closes the panel.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (wrapper.current && !wrapper.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape' || !open) return;
    event.preventDefault();
    // Kept from the page's own Escape (which clears the search).
    event.stopPropagation();
    setOpen(false);
    toggle.current?.focus();
  };

  /** Never rejects: a failure is caught and shown in the panel. */
  const download = async () => {
    if (status.kind === 'busy') return;
    setStatus({ kind: 'busy' });
    try {
      downloadText('config', await fetchConfig(onlyFavorites, region, instanceKey));
      setStatus({ kind: 'done' });
    } catch (error) {
      setStatus({ kind: 'error', message: error instanceof Error ? error.message : 'The file could not be made. Try again.' });
    }
  };

  return (
    <div ref={wrapper} className="relative shrink-0" onKeyDown={onKeyDown}>
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((value) => !value)}
        title="Export ~/.aws/config"
        className={buttonClasses('secondary', 'px-3 sm:px-4')}
      >
        <FileDown aria-hidden="true" className="size-4" />
        <span className="sr-only sm:not-sr-only">Export</span>
        <span className="sr-only"> ~/.aws/config</span>
      </button>
      {open ? (
        <div
          id={`${id}-panel`}
          role="group"
          aria-label="Export ~/.aws/config"
          className="absolute right-0 top-full z-30 mt-2 w-[min(20rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
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
                  onChange={() => setOnlyFavorites(false)}
                  className="size-4 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
                />
                All your roles
              </label>
              <label className="flex items-center gap-2">
                <input
                  type="radio"
                  name={`${id}-which`}
                  checked={onlyFavorites}
                  onChange={() => setOnlyFavorites(true)}
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
            onChange={(event) => setRegion(event.target.value)}
            className="mt-1 w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-base text-slate-900 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
          >
            <option value="">{defaultRegion} (the portal&apos;s default)</option>
            <RegionOptions regions={COMMON_REGIONS} />
          </select>
          <button
            type="button"
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
            Download config
          </button>
          <p role="status" className={`mt-2 ${status.kind === 'error' ? 'text-red-700 dark:text-red-300' : 'text-slate-600 dark:text-slate-400'}`}>
            {status.kind === 'busy'
              ? 'Preparing the file…'
              : status.kind === 'done'
                ? 'Downloaded.'
                : status.kind === 'error'
                  ? status.message
                  : ''}
          </p>
        </div>
      ) : null}
    </div>
  );
}
