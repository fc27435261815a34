/** Placeholder rows until the first accounts arrive. */
export function LoadingRows() {
  return (
    <ul aria-hidden="true" className="mt-6 space-y-2">
      {[0, 1, 2, 3].map((index) => (
        <li key={index} className="h-[92px] animate-pulse rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900" />
      ))}
    </ul>
  );
}
