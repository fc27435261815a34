import type { AccountLabel, LabelColor } from '@/lib/shared/account-labels';

const COLORS: Record<LabelColor, string> = {
  red: 'border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200',
  amber: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200',
  green: 'border-green-300 bg-green-50 text-green-800 dark:border-green-800 dark:bg-green-950 dark:text-green-200',
  blue: 'border-blue-300 bg-blue-50 text-blue-800 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-200',
  slate: 'border-slate-300 bg-slate-50 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100',
};

/** The organisation's labels on an account (`production`), as small coloured chips; nothing when it has none. */
export function AccountLabels({ labels, className = '' }: { labels: readonly AccountLabel[]; className?: string }) {
  if (labels.length === 0) return null;
  return (
    <span className={`inline-flex flex-wrap gap-1 align-middle ${className}`}>
      {labels.map((label) => (
        <span key={label.label} data-label-color={label.color} className={`rounded border px-1.5 py-0 text-xs font-semibold uppercase tracking-wide ${COLORS[label.color]}`}>
          {label.label}
        </span>
      ))}
    </span>
  );
}
