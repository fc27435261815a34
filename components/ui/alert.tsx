import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

const VARIANTS = {
  error: 'border-red-200 bg-red-50 text-red-950 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100',
  warning: 'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100',
  info: 'border-slate-200 bg-slate-100 text-slate-900 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100',
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
  /** `md` for what stops the page's main task (a listing or access keys that failed); `sm` for the rest. */
  size?: 'sm' | 'md';
  icon?: LucideIcon;
  action?: ReactNode;
  role?: 'alert' | 'status';
  align?: 'start' | 'center';
  /** Where the box sits (margins); its looks come from the variant and size. */
  className?: string;
  children: ReactNode;
}) {
  const md = size === 'md';
  const centered = align === 'center';
  return (
    <div
      role={role}
      data-slot="alert"
      className={`flex gap-3 rounded-lg border text-sm ${centered ? 'items-center' : 'items-start'} ${md ? 'p-4' : 'px-4 py-3'} ${VARIANTS[variant]} ${className}`}
    >
      {Icon ? <Icon aria-hidden="true" className={`${md ? 'size-5' : 'size-4'} shrink-0 ${centered ? '' : 'mt-0.5'}`} /> : null}
      <div className="min-w-0 flex-1">{children}</div>
      {action}
    </div>
  );
}
