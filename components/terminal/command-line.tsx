import { CopyButton } from '@/components/ui/copy-button';

/** One command to type, shown as it is typed, with Copy. `name` marks it for the tests that run what the page shows. */
export function CommandLine({ command, label, name }: { command: string; label: string; name?: string }) {
  return (
    <div
      className="mt-2 flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 dark:border-slate-800 dark:bg-slate-900"
      data-command={name}
    >
      <code className="min-w-0 flex-1 break-all font-mono text-sm">{command}</code>
      <CopyButton text={command} label={label} />
    </div>
  );
}
