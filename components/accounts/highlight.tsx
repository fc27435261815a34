import { memo, type ReactNode } from 'react';

import { highlightRanges } from '@/lib/shared/search';

/** `text` with every match of the search tokens in a `<mark>`. */
export const Highlight = memo(function Highlight({ text, tokens }: { text: string; tokens: readonly string[] }) {
  const ranges = highlightRanges(text, tokens);
  if (ranges.length === 0) return text;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className="rounded-[2px] bg-amber-200 text-inherit dark:bg-amber-400/35 dark:text-amber-50">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
});
