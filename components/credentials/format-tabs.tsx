'use client';

import { Download } from 'lucide-react';
import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';

import { CopyButton, smallButtonClasses } from '@/components/ui/copy-button';
import { CREDENTIAL_FORMATS, type CredentialFormat, FORMAT_INFO } from '@/lib/shared/credential-text';

import { downloadText } from './download';
import { MaskedText, withoutMasks } from './masked-text';

/**
 * The credential formats as tabs (arrow keys, Home and End move between them; the tab that gets
 * focus is selected). The panel shows the chosen format's text, its secrets masked unless revealed
 * (a mask cannot be selected and copied), with Copy and, for file formats, Download; both always use
 * the full text.
 */
export function FormatTabs({
  format,
  onFormat,
  fullText,
  secrets,
  revealed,
  blocked,
  children,
}: {
  format: CredentialFormat;
  onFormat: (format: CredentialFormat) => void;
  /** What Copy and Download use. */
  fullText: string;
  /** The values masked on screen until revealed. */
  secrets: readonly string[];
  revealed: boolean;
  /** Why Copy and Download are off for now (an invalid profile name), or null. */
  blocked: string | null;
  /** Options of the format, above its text (the profile name of the credentials file). */
  children?: ReactNode;
}) {
  const id = useId();
  const tabs = useRef(new Map<CredentialFormat, HTMLButtonElement>());
  const info = FORMAT_INFO[format];
  const tabId = (value: CredentialFormat) => `${id}-tab-${value}`;
  const panelId = `${id}-panel`;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = CREDENTIAL_FORMATS.indexOf(format);
    let next: number | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (at + 1) % CREDENTIAL_FORMATS.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (at - 1 + CREDENTIAL_FORMATS.length) % CREDENTIAL_FORMATS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = CREDENTIAL_FORMATS.length - 1;
    const value = next === undefined ? undefined : CREDENTIAL_FORMATS[next];
    if (value === undefined) return;
    event.preventDefault();
    onFormat(value);
    tabs.current.get(value)?.focus();
  };

  return (
    <div>
      <div role="tablist" aria-label="Format" onKeyDown={onKeyDown} className="flex flex-wrap gap-1 border-b border-slate-200 pb-2 dark:border-slate-800">
        {CREDENTIAL_FORMATS.map((value) => {
          const selected = value === format;
          return (
            <button
              key={value}
              ref={(element) => {
                if (element) tabs.current.set(value, element);
                else tabs.current.delete(value);
              }}
              id={tabId(value)}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={panelId}
              tabIndex={selected ? 0 : -1}
              onClick={() => onFormat(value)}
              className={`rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
                selected
                  ? 'bg-brand-600 text-white'
                  : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
              }`}
            >
              {FORMAT_INFO[value].label}
            </button>
          );
        })}
      </div>
      <div id={panelId} role="tabpanel" aria-labelledby={tabId(format)} className="mt-3 space-y-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {info.hint}
          {info.awsCli ? <span> The same text as <code className="font-mono text-xs">aws configure export-credentials --format {format}</code>.</span> : null}
        </p>
        {children}
        <pre
          tabIndex={0}
          role="group"
          aria-label={`${info.label} text`}
          onCopy={withoutMasks}
          className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
        >
          <MaskedText text={fullText} secrets={secrets} revealed={revealed} />
        </pre>
        <div className="flex flex-wrap items-center gap-2">
          <CopyButton key={format} text={fullText} label={`Copy ${info.label}`} disabled={blocked !== null} />
          {info.fileName ? (
            <button
              type="button"
              disabled={blocked !== null}
              onClick={() => downloadText(info.fileName ?? 'credentials', fullText)}
              aria-label={`Download ${info.fileName}`}
              className={smallButtonClasses}
            >
              <Download aria-hidden="true" className="size-4" />
              <span>
                Download <code className="font-mono">{info.fileName}</code>
              </span>
            </button>
          ) : null}
          {blocked ? <p className="text-sm text-slate-600 dark:text-slate-400">{blocked}</p> : null}
        </div>
      </div>
    </div>
  );
}
