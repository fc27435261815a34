/** One row of a person's Activity page: an event of their audit trail, as the page shows it. No zod here: the browser imports it. */
export interface ActivityRow {
  /** Unique on the page (its place in the trail). */
  key: string;
  /** ISO 8601: when it happened (for repeated hand-outs, the last time). */
  time: string;
  /** For repeated hand-outs of the same credentials by a terminal: how many, and the first time (ISO 8601). */
  count?: number;
  firstTime?: string;
  event: string;
  /** A terminal's event (its sign-in, its credentials). */
  terminal: boolean;
  /** A terminal's credentials that came from the portal's cache, without a call to Identity Center. */
  cached?: boolean;
  reason?: string;
  instanceName?: string;
  accountId?: string;
  /** The account's name (or nickname), when the person's listing knows it. */
  accountName?: string;
  roleName?: string;
  accessKeyId?: string;
  /** ISO 8601: when what was handed out expires. */
  expiration?: string;
}
