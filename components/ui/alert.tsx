import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

const VARIANTS = {
  error: 'border-red-200 bg-red-50 text-red-950 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100',
  warning: 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100',
  info: 'border-slate-200 bg-slate-100 text-slate-900 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100',
} as const;

/** `md` for what stops the page's main task (a listing or access keys that failed); `sm` for the rest. */
const SIZES = {
  md: { box: 'p-4', icon: 'size-5' },
  sm: { box: 'px-4 py-3', icon: 'size-4' },
} as const;

/**
 * A message in a tinted box: an icon, the text, and an optional action (Try again, Dismiss) at the
 * end. The caller chooses the role: `alert` for what just went wrong, `status` for news, none for a
 * standing notice. `align="center"` centres a one-line text on a taller action.
 */
export function Alert({
  variant,
  size = 'sm',
  icon: Icon,
  action,
  role,
  align = 'start',
  className = '',
  children,
}: {
  variant: keyof typeof VARIANTS;
  size?: keyof typeof SIZES;
  icon?: LucideIcon;
  action?: ReactNode;
  role?: 'alert' | 'status';
  align?: 'start' | 'center';
  /** Where the box sits (margins); its looks come from the variant and size. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      role={role}
      data-slot="alert"
      className={`flex flex-wrap gap-x-3 gap-y-2 rounded-lg border text-sm ${align === 'center' ? 'items-center' : 'items-start'} ${SIZES[size].box} ${VARIANTS[variant]} ${className}`}
    >
      {Icon ? <Icon aria-hidden="true" className={`${SIZES[size].icon} shrink-0 ${align === 'center' ? '' : 'mt-0.5'}`} /> : null}
      <div className="min-w-0 flex-1">{children}</div>
      {action}
    </div>
  );
}
