/**
 * AWS regions and the partitions they belong to: which console and which federation endpoint
 * serve a region. One table for the server (configuration, console sign-in) and the browser (the
 * console page check). No zod here: this module is in the browser bundle.
 */

/**
 * AWS regions as people type them: us-east-1, eu-west-2, us-gov-west-1, cn-north-1, us-iso-east-1,
 * eusc-de-east-1 (the AWS European Sovereign Cloud).
 */
export const REGION_PATTERN = /^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;

export interface Partition {
  /** The partition's name, as in ARNs: `aws`, `aws-us-gov`, `aws-cn`, `aws-eusc`, `aws-iso` … */
  id: string;
  /** The console's host name, when it is public. */
  consoleHost?: string;
  /** The console federation endpoint, when it is known. */
  signinUrl?: string;
}

const COMMERCIAL: Partition = {
  id: 'aws',
  consoleHost: 'console.aws.amazon.com',
  signinUrl: 'https://signin.aws.amazon.com/federation',
};

/**
 * The partitions other than the commercial one, by region prefix. The European Sovereign Cloud's
 * console is console.amazonaws-eusc.eu; its federation endpoint is not documented where we could
 * check it, so it is not guessed: SIGNIN_URL (or an instance's signinUrl) must name it. The
 * isolated partitions publish neither.
 */
const PARTITIONS: readonly { prefix: RegExp; partition: Partition }[] = [
  {
    prefix: /^us-gov-/,
    partition: { id: 'aws-us-gov', consoleHost: 'console.amazonaws-us-gov.com', signinUrl: 'https://signin.amazonaws-us-gov.com/federation' },
  },
  { prefix: /^cn-/, partition: { id: 'aws-cn', consoleHost: 'console.amazonaws.cn', signinUrl: 'https://signin.amazonaws.cn/federation' } },
  { prefix: /^eusc-/, partition: { id: 'aws-eusc', consoleHost: 'console.amazonaws-eusc.eu' } },
  { prefix: /^us-iso-/, partition: { id: 'aws-iso' } },
  { prefix: /^us-isob-/, partition: { id: 'aws-iso-b' } },
  { prefix: /^eu-isoe-/, partition: { id: 'aws-iso-e' } },
  { prefix: /^us-isof-/, partition: { id: 'aws-iso-f' } },
];

/** The partition a region belongs to (the commercial one unless the region says otherwise). */
export function partitionOf(region: string): Partition {
  return PARTITIONS.find((entry) => entry.prefix.test(region))?.partition ?? COMMERCIAL;
}

/** Every public console host, for the check of console pages people may be sent to. */
export const CONSOLE_HOSTS: readonly string[] = [COMMERCIAL, ...PARTITIONS.map((entry) => entry.partition)].flatMap((partition) =>
  partition.consoleHost ? [partition.consoleHost] : [],
);

/** The console host a host name belongs to: itself, or one of its subdomains (`eu-west-1.console.aws.amazon.com`). */
export function consoleHostOf(hostname: string): string | undefined {
  return CONSOLE_HOSTS.find((host) => hostname === host || hostname.endsWith(`.${host}`));
}
