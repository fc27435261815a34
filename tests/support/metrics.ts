/** Reading the portal's Prometheus exposition in tests. */

/** The value of one Prometheus sample, 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

/** The bearer token the tests start portals with (METRICS_TOKEN) when they read /api/metrics. */
export const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789abcdef';

/** The exposition text from /api/metrics, read with the metrics token as Prometheus would. */
export async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (response.status !== 200) throw new Error(`/api/metrics answered ${response.status}`);
  return response.text();
}
