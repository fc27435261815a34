'use client';

import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';

import { buttonClasses, focusRing } from '@/components/ui/button';

/**
 * A small secondary button, for controls beside content (Copy, Download). Kept here rather than in
 * button.tsx, which every page loads: only the pages with Copy buttons need it.
 */
export const smallButtonClasses = `inline-flex items-center justify-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 ${focusRing}`;

const NO_CLIPBOARD = 'The clipboard is not available here. Select the text and copy it.';

/** Resolves once the clipboard holds `text`; rejects where the browser offers no clipboard. */
async function copyText(text: string): Promise<void> {
  if (!navigator.clipboard?.writeText) throw new Error(NO_CLIPBOARD);
  await navigator.clipboard.writeText(text);
}

/**
 * Copies `text` to the clipboard and says so: "Copied" on the button for a moment, and the same
 * news in a status region for screen readers (or, when copying fails, on screen). `label` names
 * what is copied ("Copy secret access key") and stays the button's name while it says "Copied".
 */
export function CopyButton({
  text,
  label,
  disabled = false,
  size = 'sm',
  className = '',
  children = 'Copy',
}: {
  text: string;
  label: string;
  disabled?: boolean;
  /** `sm` beside content (the access keys); `md` as tall as the page's other buttons (the sign-in code). */
  size?: 'sm' | 'md';
  className?: string;
  children?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    copyText(text).then(
      () => {
        setState('copied');
        setMessage(`Copied ${label.replace(/^Copy /, '')}`);
      },
      (error: unknown) => {
        setState('failed');
        setMessage(error instanceof Error && error.message.startsWith('The clipboard') ? error.message : 'Could not copy. Select the text and copy it.');
      },
    );
  };

  const classes = size === 'md' ? buttonClasses('secondary', className) : `${smallButtonClasses} ${className}`;
  return (
    <>
      <button type="button" aria-label={label} disabled={disabled} onClick={copy} className={classes}>
        {state === 'copied' ? (
          <Check aria-hidden="true" className="size-4 text-emerald-600 dark:text-emerald-400" />
        ) : (
          <Copy aria-hidden="true" className="size-4" />
        )}
        <span>{state === 'copied' ? 'Copied' : children}</span>
      </button>
      <span role="status" className={state === 'failed' ? 'text-sm text-red-700 dark:text-red-300' : 'sr-only'}>
        {state === 'idle' ? '' : message}
      </span>
    </>
  );
}
