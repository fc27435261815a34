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

/** A terminal that signed in as the person and that they have not acknowledged yet: shown on their next page. */
export interface NewTerminalNotice {
  handle: string;
  instanceKey?: string;
  label: string;
  address: string;
  /** ISO 8601. */
  createdAt: string;
}

/** A terminal's sign-in waiting for its person, as the confirmation page shows it. */
export interface TerminalLoginRequestView {
  /** What the terminal said it is (its User-Agent) and the address it asked from. */
  label: string;
  address: string;
  /** ISO 8601. */
  requestedAt: string;
  expiresAt: string;
  /** The words the terminal shows. */
  words: string;
  state: TerminalLoginState;
  /** Once confirmed: the Identity Center step (the code to check on its page). */
  identityCenter?: { userCode: string; verificationUriComplete: string };
}

/** Where a terminal's sign-in stands, seen from the confirmation page. */
export type TerminalLoginState = 'awaiting-confirmation' | 'awaiting-identity-center' | 'signed-in' | 'refused' | 'expired' | 'confirmed-by-someone-else';
