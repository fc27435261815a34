'use client';

import { Component, type ReactNode, Suspense } from 'react';

/** Shows `fallback` instead of its children once they failed to render (here: their code could not be fetched). */
class UnlessFailed extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/**
 * Where a part of the page that few people need (a panel behind a button, the details of a rare
 * notice) is rendered from code fetched on first use (`React.lazy`), so the page does not carry it
 * on its first load. Nothing shows while the code arrives; `failed` shows if it cannot be fetched.
 */
export function OnDemand({ failed = null, children }: { failed?: ReactNode; children: ReactNode }) {
  return (
    <UnlessFailed fallback={failed}>
      <Suspense fallback={null}>{children}</Suspense>
    </UnlessFailed>
  );
}
