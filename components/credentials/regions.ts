/** AWS regions offered in the portal's region pickers, most used first within each area. */

export interface RegionOption {
  code: string;
  name: string;
}

export const COMMON_REGIONS: readonly RegionOption[] = [
  { code: 'us-east-1', name: 'US East (N. Virginia)' },
  { code: 'us-east-2', name: 'US East (Ohio)' },
  { code: 'us-west-1', name: 'US West (N. California)' },
  { code: 'us-west-2', name: 'US West (Oregon)' },
  { code: 'ca-central-1', name: 'Canada (Central)' },
  { code: 'sa-east-1', name: 'South America (São Paulo)' },
  { code: 'eu-west-1', name: 'Europe (Ireland)' },
  { code: 'eu-west-2', name: 'Europe (London)' },
  { code: 'eu-west-3', name: 'Europe (Paris)' },
  { code: 'eu-central-1', name: 'Europe (Frankfurt)' },
  { code: 'eu-central-2', name: 'Europe (Zurich)' },
  { code: 'eu-north-1', name: 'Europe (Stockholm)' },
  { code: 'eu-south-1', name: 'Europe (Milan)' },
  { code: 'eu-south-2', name: 'Europe (Spain)' },
  { code: 'me-central-1', name: 'Middle East (UAE)' },
  { code: 'af-south-1', name: 'Africa (Cape Town)' },
  { code: 'ap-south-1', name: 'Asia Pacific (Mumbai)' },
  { code: 'ap-southeast-1', name: 'Asia Pacific (Singapore)' },
  { code: 'ap-southeast-2', name: 'Asia Pacific (Sydney)' },
  { code: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)' },
  { code: 'ap-northeast-2', name: 'Asia Pacific (Seoul)' },
  { code: 'ap-northeast-3', name: 'Asia Pacific (Osaka)' },
  { code: 'ap-east-1', name: 'Asia Pacific (Hong Kong)' },
];

/** The common regions, with the portal's default region first if it is not one of them (GovCloud, China). */
export function regionOptions(defaultRegion: string | undefined): readonly RegionOption[] {
  if (!defaultRegion || COMMON_REGIONS.some((region) => region.code === defaultRegion)) return COMMON_REGIONS;
  return [{ code: defaultRegion, name: 'Portal default' }, ...COMMON_REGIONS];
}
