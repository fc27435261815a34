/** A person's kept listing as the Activity page shows it. */
export interface SavedListingView {
  /** The instance's key for URLs, when several are configured. */
  instanceKey?: string;
  instanceName: string;
  /** ISO 8601: when the listing was made. */
  listedAt: string;
  accounts: number;
  /** ISO 8601: when it is no longer shown (LISTING_MAX_AGE_HOURS after it was made). */
  keptUntil: string;
}
