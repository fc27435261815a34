/** What every page shows of the portal itself: the demo banner, and the organisation's branding. No zod: the browser imports it. */
export interface PortalChrome {
  /** In demo mode: where the built-in emulator listens. */
  emulatorUrl?: string;
  /** The organisation's name, beside the portal's. */
  organization?: string;
  /** A logo is configured: served at /branding/logo. */
  logo: boolean;
  /** Where people get help, linked from every page. */
  helpUrl?: string;
}
