import type { ReactNode } from 'react';

/** The heading of a group of results (Favorites, Recent, All accounts). */
export function SectionHeading({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h2 id={id} className="flex items-center gap-2 text-sm font-semibold text-slate-700 dark:text-slate-200">
      {children}
    </h2>
  );
}
