/** Facts about demo mode that both the portal and the built-in emulator agree on. */
export const DEMO_START_URL = 'https://gatehouse-demo.awsapps.com/start';
export const DEMO_SSO_REGION = 'us-east-1';
export const DEMO_USERS = ['operator', 'developer', 'newcomer'] as const;
