import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * `npm run load -- --smoke`: a few people at once, each signing in on one portal and taking
 * credentials and a console link on the other (two portals on one Redis), and the same on one portal
 * with SQLite. No request fails, the emulator never has to refuse a call, and the results file holds
 * what the README's table is made from.
 */

const routeSchema = z.object({ requests: z.number().int().positive(), p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number(), failures: z.number().int() });
const resultsSchema = z.object({
  people: z.number().int().positive(),
  setups: z.array(
    z.object({
      name: z.string(),
      portals: z.number().int().positive(),
      failedRequests: z.number().int(),
      overLimitSeconds: z.number().int(),
      throttled: z.number().int(),
      peakRssMb: z.number().positive(),
      firstAccountsP95Ms: z.number().positive(),
      firstAccountsBudgetMs: z.number().positive(),
      routes: z.record(z.string(), routeSchema),
    }),
  ),
});

describe('npm run load -- --smoke', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'gatehouse-load-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('serves every person on one portal and across two on Redis, with no failed request and no call over the limit', { timeout: 240_000 }, async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/load.ts', '--smoke', '--out', out], { timeout: 230_000, maxBuffer: 16 * 1024 * 1024 });
    const results = resultsSchema.parse(JSON.parse(readFileSync(path.join(out, 'load.json'), 'utf8')));
    expect(results.setups.map((setup) => setup.portals)).toEqual([1, 2]);
    for (const setup of results.setups) {
      expect(setup.failedRequests, setup.name).toBe(0);
      expect(setup.overLimitSeconds, setup.name).toBe(0);
      expect(setup.throttled, setup.name).toBe(0);
      // Every step of every person's visit ran: the session crossed to the other portal for credentials and the console.
      for (const route of ['POST /api/auth/device', 'GET /api/accounts/stream (to done)', 'POST /api/credentials', 'POST /api/console', 'gatehouse credential-process', 'POST /api/auth/logout']) {
        expect(setup.routes[route]?.requests, `${setup.name}: ${route}`).toBeGreaterThanOrEqual(results.people);
        expect(setup.routes[route]?.failures, `${setup.name}: ${route}`).toBe(0);
      }
    }
    expect(readFileSync(path.join(out, 'load.md'), 'utf8')).toContain('two portals, one Redis');
  });
});
