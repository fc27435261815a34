/** The environment `gatehouse exec` gives the command it runs. */
import type { Environment } from './environment';

/**
 * Variables that would choose other credentials than the ones given: a profile (which the AWS CLI
 * prefers to credential variables when it is named), another set of keys, web identity, the container
 * endpoint. Removed from the child's environment, with the Gatehouse token it has no use for.
 */
export const DISPLACED_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'GATEHOUSE_TOKEN',
] as const;

export interface ExecCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

export function execEnvironment(base: Environment, credentials: ExecCredentials, region: string | undefined): Environment {
  const env: Record<string, string | undefined> = { ...base };
  for (const name of DISPLACED_VARIABLES) delete env[name];
  env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  env.AWS_SESSION_TOKEN = credentials.sessionToken;
  env.AWS_CREDENTIAL_EXPIRATION = credentials.expiration;
  if (region) {
    env.AWS_REGION = region;
    env.AWS_DEFAULT_REGION = region;
  }
  return env;
}
