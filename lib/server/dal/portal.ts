import 'server-only';

import { headers } from 'next/headers';

import { services } from '@/lib/server/services';
import type { PortalChrome } from '@/lib/shared/portal-chrome';
import { requestIdOf } from '@/lib/server/viewer';

/** What every page shows of the portal itself: the demo banner, and the configured instances. */
export interface PortalSettings {
  /** In demo mode: where the built-in emulator listens. */
  emulatorUrl?: string;
  /** What every page's frame shows: the demo banner and the branding. */
  chrome: PortalChrome;
  /** The portal's URL as people reach it (PUBLIC_URL). */
  publicUrl: string;
  instances: { key: string; name: string; startUrl: string; ssoRegion: string }[];
  /** More than one instance is configured (URLs and pages name the instance). */
  several: boolean;
  /** How long a person's last listing is kept for their next visit (LISTING_MAX_AGE_HOURS). */
  listingMaxAgeHours: number;
  /** How long a person's Activity page keeps an event (AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number;
}

export function portalSettings(): PortalSettings {
  const { config } = services();
  return {
    emulatorUrl: config.emulator?.url,
    chrome: {
      emulatorUrl: config.emulator?.url,
      organization: config.branding.organization,
      logo: config.branding.logo !== undefined,
      helpUrl: config.branding.helpUrl,
    },
    publicUrl: config.publicUrl,
    instances: config.instances.map(({ key, name, startUrl, ssoRegion }) => ({ key, name, startUrl, ssoRegion })),
    several: config.instances.length > 1,
    listingMaxAgeHours: Math.round(config.listingMaxAgeMs / 3_600_000),
    auditRetentionDays: Math.round(config.auditRetentionMs / 86_400_000),
  };
}

/** This request's id, for a page to show (a person quotes it; the logs carry it). */
export async function currentRequestId(): Promise<string> {
  return requestIdOf(await headers());
}

/** The configured logo, for /branding/logo; null when none is configured. */
export function brandingLogo(): { contentType: string; bytes: Buffer } | null {
  return services().config.branding.logo ?? null;
}
