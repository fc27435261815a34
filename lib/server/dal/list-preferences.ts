import 'server-only';

import { GatehouseError } from '@/lib/server/core/errors';
import type { IdentityCenterInstance } from '@/lib/server/core/config';
import { services } from '@/lib/server/services';
import type { Viewer } from '@/lib/server/viewer';
import type { ListDensity, ListPreferencesResponse } from '@/lib/shared/preferences';

/** The person's accounts-list density for the page's first render (comfortable when it cannot be read). */
export async function rememberedDensity(session: { instance: IdentityCenterInstance; user?: string }): Promise<ListDensity> {
  return services().of(session.instance).listPreferences.density(session.instance.id, session.user);
}

/** The person's density, for a page that learned who they are after it was rendered. */
export async function currentDensity(viewer: Viewer): Promise<ListPreferencesResponse> {
  const person = await viewer.person();
  return { density: await services().of(viewer.instance).listPreferences.density(viewer.instance.id, person.userName) };
}

/** Remembers the person's density, by their Identity Center user name (a 409 while it is not known). */
export async function chooseDensity(viewer: Viewer, density: ListDensity): Promise<ListPreferencesResponse> {
  const person = await viewer.person();
  if (!person.userName) {
    throw new GatehouseError('conflict', 'Your choice is kept by your Identity Center user name, which is not known yet. Try again once your roles have loaded.');
  }
  await services().of(viewer.instance).listPreferences.remember(viewer.instance.id, person.userName, density);
  return { density };
}
