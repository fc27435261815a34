'use client';

import { FileDown } from 'lucide-react';
import { type KeyboardEvent, lazy, useEffect, useId, useRef, useState } from 'react';

import { useInstanceKey } from '@/components/instance-context';
import { OnDemand } from '@/components/on-demand';
import { buttonClasses } from '@/components/ui/button';

export interface ExportChoices {
  onlyFavorites: boolean;
  /** "" for the portal's default region. */
  region: string;
  status: { kind: 'idle' | 'busy' | 'done' } | { kind: 'error'; message: string };
}

const loadPanel = () => import('./export-panel');
const ExportPanel = lazy(() => loadPanel().then((module) => ({ default: module.ExportPanel })));

/**
 * "Export ~/.aws/config" on the accounts page: a small panel to choose all roles or only favorites
 * and the profiles' region (the portal's default unless chosen), then download the file. The AWS CLI
 * and SDKs sign in with it through `aws sso login`; it holds no credentials. The panel's inside is
 * loaded when the button is pointed at, focused or pressed, not with the page.
 */
export function ExportConfig({ defaultRegion }: { defaultRegion: string }) {
  const instanceKey = useInstanceKey();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [choices, setChoices] = useState<ExportChoices>({ onlyFavorites: false, region: '', status: { kind: 'idle' } });
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

  // Fetches the panel's code ahead of the click. A failure here is said when the panel opens.
  const preload = () => {
    loadPanel().catch(() => undefined);
  };

  return (
    <div ref={wrapper} className="relative shrink-0" onKeyDown={onKeyDown}>
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
              instanceKey={instanceKey}
              choices={choices}
              onChange={(change) => setChoices((previous) => ({ ...previous, ...change }))}
            />
          </OnDemand>
        </div>
      ) : null}
    </div>
  );
}
