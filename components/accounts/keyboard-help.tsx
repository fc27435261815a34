'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';

import { focusRing } from '@/components/ui/button';

const KEYS: [keys: string[], what: string][] = [
  [['/'], 'Search accounts and roles'],
  [['↓', '↑'], 'Move through the results'],
  [['→', '←'], 'Open or close an account, step into its roles'],
  [['Enter'], 'On an account: open or close it (roles still loading are loaded now). On a role: its access keys'],
  [['c'], 'On a role: copy its shell variables (export AWS_…)'],
  [['o'], 'On a role: open its console in a new tab'],
  [['s'], 'On a role: star or unstar it'],
  [['Esc'], 'Back to the search, or clear it'],
  [['?'], 'These keys'],
];

const kbd = 'rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';

/** True when a key was typed into a field (the search box, a form), where it is text, not a command. */
export function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
}

/** The accounts page's keys, in a dialog that `?` opens (anywhere but in a field). */
export function KeyboardHelp() {
  const [open, setOpen] = useState(false);
  // Opened with ?, the dialog gives focus back to where the key was pressed (else to its button).
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return;
      event.preventDefault();
      returnTo.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
      setOpen(true);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className={`rounded text-xs text-slate-600 hover:text-slate-900 hover:underline dark:text-slate-400 dark:hover:text-white ${focusRing}`}>
        Keyboard shortcuts <kbd className={kbd}>?</kbd>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/60" />
        <Dialog.Content
          onCloseAutoFocus={(event) => {
            const element = returnTo.current;
            returnTo.current = null;
            if (element?.isConnected) {
              event.preventDefault();
              element.focus();
            }
          }}
          className="fixed left-1/2 top-[10vh] z-50 max-h-[80vh] w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 overflow-y-auto rounded-xl border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100">
          <div className="flex items-start justify-between gap-3">
            <Dialog.Title className="text-lg font-semibold">Keyboard shortcuts</Dialog.Title>
            <Dialog.Close aria-label="Close" className={`rounded-md p-1.5 hover:bg-slate-100 dark:hover:bg-slate-800 ${focusRing}`}>
              <X aria-hidden="true" className="size-5" />
            </Dialog.Close>
          </div>
          <Dialog.Description className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            On the accounts list, with a result focused. Letters typed in the search box stay in the search.
          </Dialog.Description>
          <dl className="mt-4 space-y-2 text-sm">
            {KEYS.map(([keys, what]) => (
              <div key={what} className="flex items-baseline gap-3">
                <dt className="flex w-20 shrink-0 gap-1">
                  {keys.map((key) => (
                    <kbd key={key} className={kbd}>
                      {key}
                    </kbd>
                  ))}
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** What a keyboard command just did: a line at the foot of the screen, and the news for screen readers. */
export function CommandStatus({ message }: { message: string }) {
  return (
    <p
      role="status"
      className={
        message
          ? 'fixed bottom-4 left-1/2 z-30 max-w-[calc(100vw-2rem)] -translate-x-1/2 rounded-lg bg-slate-900 px-4 py-2 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900'
          : 'sr-only'
      }
    >
      {message}
    </p>
  );
}
