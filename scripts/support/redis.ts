/** Starts a private redis-server (installed from Debian by the test set-up) on a port the caller chose: tests and the load bench. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Redis } from 'ioredis';

import { freePort, stopChild } from './processes';

export interface RunningRedis {
  url: string;
  port: number;
  client(): Redis;
  stop(): Promise<void>;
  /** Restart on the same port (for outage tests); data is kept only when started with `persist`. */
  restart(): Promise<void>;
  /** Stops the server but keeps its port and data for `start` (an outage that lasts until `start`). */
  halt(): Promise<void>;
  /** Starts it again after `halt`, on the same port. */
  start(): Promise<void>;
}

async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not answer within 10 s');
}

export async function startRedis(options: {
  /** Keep the data across restarts: an append-only file in a private directory, as a production Redis would. */
  persist?: boolean;
} = {}): Promise<RunningRedis> {
  const port = await freePort();
  let child: ChildProcess;
  const clients: Redis[] = [];
  const dataDir = options.persist ? mkdtempSync(path.join(tmpdir(), 'gatehouse-redis-')) : undefined;
  const persistence = dataDir
    ? ['--appendonly', 'yes', '--dir', dataDir]
    : ['--appendonly', 'no'];
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
      stdio: 'ignore',
    });
    await waitForPing(port, child);
  };
  const halt = () => stopChild(child);
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client() {
      const client = new Redis({ port, host: '127.0.0.1' });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.disconnect();
      await halt();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await halt();
      await launch();
    },
    halt,
    start: launch,
  };
}
