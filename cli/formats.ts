/** The `gatehouse env --format` names people type, and the portal's `?format=` value for each. */
export const ENV_FORMATS = {
  bash: 'env',
  'no-export': 'env-no-export',
  fish: 'fish',
  powershell: 'powershell',
  cmd: 'windows-cmd',
  dotenv: 'dotenv',
  ini: 'ini',
} as const;

export type EnvFormat = keyof typeof ENV_FORMATS;
export type PortalFormat = (typeof ENV_FORMATS)[EnvFormat];

export const ENV_FORMAT_NAMES = Object.keys(ENV_FORMATS) as EnvFormat[];

export function isEnvFormat(name: string): name is EnvFormat {
  return Object.hasOwn(ENV_FORMATS, name);
}

export function portalFormat(name: EnvFormat): PortalFormat {
  return ENV_FORMATS[name];
}
