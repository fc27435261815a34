'use client';

import { FileDown } from 'lucide-react';
import { lazy, useCallback, useId, useRef, useState } from 'react';

import { OnDemand } from '@/components/on-demand';
import { buttonClasses } from '@/components/ui/button';

/** While roles are still loading: for how many accounts they have (`loaded`) of all (`total`). */
export interface ExportProgress {
  loaded: number;
  total: number;
}

export interface ExportChoices {
  onlyFavorites: boolean;
  /** "" for the portal's default region. */
  region: string;
  status: { kind: 'idle' | 'busy' } | { kind: 'done'; partial: ExportProgress | null } | { kind: 'error'; message: string };
}

const loadPanel = () => import('./export-panel');
const ExportPanel = lazy(() => loadPanel().then((module) => ({ default: module.ExportPanel })));

/**
 * "Export ~/.aws/config" on the accounts page: a small panel to choose all roles or only favorites
 * and the profiles' region (the portal's default unless chosen), then download the file. The AWS CLI
 * and SDKs sign in with it through `aws sso login`; it holds no credentials. The panel's inside (and
 * what closes it) is loaded when the button is pointed at, focused or pressed, not with the page.
 */
export function ExportConfig({ defaultRegion, progress }: { defaultRegion: string; progress: ExportProgress | null }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<ExportChoices>({ onlyFavorites: false, region: '', status: { kind: 'idle' } });
  const wrapper = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) toggle.current?.focus();
  }, []);

  // Fetches the panel's code ahead of the click. A failure here is said when the panel opens.
  const preload = () => {
    loadPanel().catch(() => undefined);
  };

  return (
    <div ref={wrapper} className="relative shrink-0">
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((value) => !value)}
        onPointerEnter={preload}
        onFocus={preload}
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
          <OnDemand failed={<p role="alert">The export could not be loaded. Reload the page to try again.</p>}>
            <ExportPanel
              id={id}
              defaultRegion={defaultRegion}
              progress={progress}
              choices={choices}
              onChange={(change) => setChoices((previous) => ({ ...previous, ...change }))}
              wrapper={wrapper}
              onClose={close}
            />
          </OnDemand>
        </div>
      ) : null}
    </div>
  );
}
