/**
 * `npm start`: builds the production app when needed, starts the built-in Identity Center emulator
 * in demo mode (no SSO_START_URL), and serves the portal. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { createEmulator } from '../emulator/server';
import { EnvError, getConfig, type ServerConfig } from '../lib/server/core/config';
import { distDir, ensureProductionBuild } from './production-build';

function loadConfig(): ServerConfig {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const root = process.cwd();
  const config = loadConfig();
  await ensureProductionBuild(root);

  const emulator = config.emulator
    ? await createEmulator({ port: config.emulator.port, host: '127.0.0.1' })
    : undefined;
  if (emulator) console.log(`Identity Center emulator (demo directory) listening on ${emulator.url}`);

  // The standalone server is what a container runs; the launcher runs the same thing.
  const server = path.join(root, distDir(), 'standalone', 'server.js');
  if (!existsSync(server)) {
    console.error(`The production build has no standalone server (${server}).`);
    process.exit(1);
  }
  const portal = spawn(process.execPath, [server], {
    cwd: path.dirname(server),
    stdio: 'inherit',
    // DATA_DIR is resolved here, so the server (running from its own folder) uses the same one.
    env: { ...process.env, HOSTNAME: config.host, PORT: String(config.port), DATA_DIR: config.dataDir },
  });
  const shownHost = config.host === '127.0.0.1' || config.host === '0.0.0.0' ? 'localhost' : config.host;
  console.log(
    `Gatehouse is starting on http://${shownHost}:${config.port}` +
      (config.mode === 'demo' ? ' in demo mode (set SSO_START_URL to use your Identity Center).' : '.'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    portal.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  portal.on('exit', (code, signal) => {
    void (emulator ? emulator.close() : Promise.resolve()).finally(() => {
      process.exit(code ?? (signal ? 0 : 1));
    });
  });
}

void main();
