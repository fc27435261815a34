import { Star } from 'lucide-react';

import { focusRing } from '@/components/ui/button';

/** The star of an account or a role: pressed when it is a favorite. */
export function StarButton({
  starred,
  label,
  tabIndex,
  onToggle,
}: {
  starred: boolean;
  label: string;
  tabIndex: 0 | -1;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={starred}
      aria-label={label}
      title={starred ? 'Remove from favorites' : 'Add to favorites'}
      tabIndex={tabIndex}
      onClick={onToggle}
      className={`shrink-0 rounded-md p-2 transition-colors hover:bg-slate-100 dark:hover:bg-slate-800 ${focusRing} ${
        starred ? 'text-amber-500 dark:text-amber-400' : 'text-slate-400 hover:text-amber-500 dark:text-slate-500'
      }`}
    >
      <Star aria-hidden="true" className="size-4" fill={starred ? 'currentColor' : 'none'} />
    </button>
  );
}
