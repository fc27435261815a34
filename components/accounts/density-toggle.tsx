import { Rows3, Rows4 } from 'lucide-react';

import { focusRing } from '@/components/ui/button';
import type { ListDensity } from '@/lib/shared/preferences';

/** Compact view on or off: one line per account, or rows with their roles as chips. */
export function DensityToggle({ density, onChange }: { density: ListDensity; onChange: (density: ListDensity) => void }) {
  const compact = density === 'compact';
  const Icon = compact ? Rows4 : Rows3;
  return (
    <button
      type="button"
      aria-pressed={compact}
      onClick={() => onChange(compact ? 'comfortable' : 'compact')}
      className={`inline-flex items-center gap-1.5 rounded-md border px-2 py-1 text-sm font-medium ${
        compact
          ? 'border-brand-600 bg-brand-50 text-brand-900 dark:border-brand-100 dark:bg-slate-800 dark:text-brand-100'
          : 'border-transparent text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
      } ${focusRing}`}
    >
      <Icon aria-hidden="true" className="size-4" />
      Compact view
    </button>
  );
}
