// The AWS SDK for JavaScript as an application uses it: one STSClient, credentials and region from the
// default provider chain (AWS_PROFILE, or the container endpoint), the endpoint from AWS_ENDPOINT_URL_STS.
//   node sdk-sts.mjs once           → one GetCallerIdentity, printed as JSON
//   node sdk-sts.mjs loop SECONDS   → GetCallerIdentity every 200 ms for SECONDS, then a JSON summary
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const client = new STSClient({ region: process.env.AWS_REGION ?? undefined });
const [mode = 'once', seconds = '0'] = process.argv.slice(2);

if (mode === 'once') {
  const out = await client.send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({ Account: out.Account, Arn: out.Arn }));
} else {
  const until = Date.now() + Number(seconds) * 1000;
  const summary = { calls: 0, failures: [], accounts: [], firstAt: Date.now(), lastAt: 0 };
  while (Date.now() < until) {
    try {
      const out = await client.send(new GetCallerIdentityCommand({}));
      summary.calls += 1;
      if (!summary.accounts.includes(out.Account)) summary.accounts.push(out.Account);
    } catch (error) {
      summary.failures.push(`${new Date().toISOString()} ${error?.name}: ${error?.message}`);
    }
    summary.lastAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(JSON.stringify(summary));
}
