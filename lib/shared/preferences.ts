import { z } from 'zod';

/** The accounts list: comfortable rows (roles shown as chips) or compact ones (one line per account). */
export const listDensitySchema = z.enum(['comfortable', 'compact']);

export type ListDensity = z.infer<typeof listDensitySchema>;

export const listPreferencesChangeSchema = z.strictObject({ density: listDensitySchema });

export interface ListPreferencesResponse {
  density: ListDensity;
}
