'use client';

import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';

import { focusRing } from '@/components/ui/button';

import { copyText } from './browser';

export const smallButton = `inline-flex items-center justify-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 ${focusRing}`;

/**
 * Copies `text` to the clipboard and says so: "Copied" on the button for a moment, and the same
 * news in a status region for screen readers. `label` names what is copied ("Copy secret access key").
 */
export function CopyButton({
  text,
  label,
  disabled = false,
  className = '',
  children = 'Copy',
}: {
  text: string;
  label: string;
  disabled?: boolean;
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

  const copy = async () => {
    try {
      await copyText(text);
      setState('copied');
      setMessage(`Copied ${label.replace(/^Copy /, '')}`);
    } catch (error) {
      setState('failed');
      setMessage(error instanceof Error && error.message.startsWith('The clipboard') ? error.message : 'Could not copy. Select the text and copy it.');
    }
  };

  return (
    <>
      <button type="button" aria-label={label} disabled={disabled} onClick={() => void copy()} className={`${smallButton} ${className}`}>
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
