import { FlaskConical } from 'lucide-react';

/** Shown on every page in demo mode, so nobody mistakes the emulator for their AWS organisation. */
export function DemoBanner({ emulatorUrl }: { emulatorUrl: string }) {
  return (
    <div
      role="region"
      aria-label="Demo mode"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="mx-auto flex max-w-5xl items-center gap-2">
        <FlaskConical aria-hidden="true" className="size-4 shrink-0" />
        <span>
          <strong>Demo mode.</strong> This portal is connected to the built-in IAM Identity Center emulator at{' '}
          <code className="font-mono">{emulatorUrl}</code>, not to AWS. Its accounts and credentials are made up.
        </span>
      </p>
    </div>
  );
}
