/** One of the person's terminal sessions as the Activity page lists it. */
export interface TerminalSessionView {
  /** What Revoke names. */
  handle: string;
  instanceKey?: string;
  instanceName: string;
  /** What the terminal said it is (its User-Agent) and where it signed in from. */
  label: string;
  address: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
}
