import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Environment } from '../../cli/environment';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { configDirectory, findSession, readStore, removeSession, saveSession, STORE_FILE, type StoredSession } from '../../cli/token-store';
import { isolatedHome, runCli, snapshotTree } from '../support/cli-io';

const session = (portal: string, key: string, token: string, instanceChosen = false): StoredSession => ({
  portal,
  instance: { key, name: key.toUpperCase() },
  instanceChosen,
  token,
  user: 'operator',
  expiresAt: '2026-11-29T22:00:00.000Z',
  savedAt: '2026-11-29T10:00:00.000Z',
});

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const TOKEN_A = 'a'.repeat(43);
const TOKEN_B = 'b'.repeat(43);

describe('the token store', () => {
  let home: string;
  let env: Environment;
  let dir: string;
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    dir = configDirectory(env);
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('lives in $XDG_CONFIG_HOME/gatehouse, else ~/.config/gatehouse', () => {
    expect(configDirectory({ HOME: '/home/x', XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/gatehouse');
    expect(configDirectory({ HOME: '/home/x' })).toBe('/home/x/.config/gatehouse');
    expect(configDirectory({ HOME: '/home/x', XDG_CONFIG_HOME: 'relative' })).toBe('/home/x/.config/gatehouse');
  });

  it('writes the token file 0600 in a folder 0700, and tightens a folder made too open', () => {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    saveSession(dir, session(A, 'default', TOKEN_A));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, STORE_FILE)).mode & 0o777).toBe(0o600);
    expect(readStore(dir).sessions.map((s) => s.token)).toEqual([TOKEN_A]);
  });

  it('keeps one session per portal and instance, the last sign-in current', () => {
    saveSession(dir, session(A, 'production', TOKEN_A, true));
    saveSession(dir, session(A, 'sandbox', 'c'.repeat(43), true));
    saveSession(dir, session(A, 'production', 'd'.repeat(43), true));
    const store = readStore(dir);
    expect(store.sessions.map((s) => `${s.instance.key}=${s.token[0]}`).sort()).toEqual(['production=d', 'sandbox=c']);
    expect(store.current).toEqual({ portal: A, instance: 'production' });
    expect(findSession(store, undefined, undefined).token).toBe('d'.repeat(43));
    expect(findSession(store, A, 'sandbox').token).toBe('c'.repeat(43));
    removeSession(dir, A, 'production');
    expect(readStore(dir).current).toEqual({ portal: A, instance: 'sandbox' });
  });

  it('refuses a portal or instance it holds no token for, naming what it holds, and never hands out another one', () => {
    saveSession(dir, session(A, 'production', TOKEN_A, true));
    const store = readStore(dir);
    expect(() => findSession(store, B, undefined)).toThrow(`Your Gatehouse session is for ${A} (instance production), not for ${B}: run \`gatehouse login --portal ${B}\`.`);
    expect(() => findSession(store, A, 'sandbox')).toThrow(/not for https:\/\/a.example.com \(instance sandbox\)/);
    expect(() => findSession({ version: 1, sessions: [] }, undefined, undefined)).toThrow('You are not signed in: run `gatehouse login --portal URL`.');
  });

  it('asks which instance when signed in to several of one portal and none is current', () => {
    saveSession(dir, session(A, 'production', TOKEN_A, true));
    saveSession(dir, session(A, 'sandbox', TOKEN_B, true));
    saveSession(dir, session(B, 'default', 'e'.repeat(43)));
    expect(() => findSession(readStore(dir), A, undefined)).toThrow(/several instances of https:\/\/a.example.com \(production, sandbox\): choose one with --instance/);
  });

  it('says a damaged file is damaged, in one line', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, STORE_FILE), '{"version":1,"sessions":[{"token":1}]}');
    expect(() => readStore(dir)).toThrow(/sessions.json is damaged: remove it and run `gatehouse login`/);
  });
});

describe('a token is only sent to the portal it was issued by', () => {
  let home: string;
  let env: Environment;
  let server: Server;
  let seen: IncomingHttpHeaders[];
  let other: string;

  beforeEach(async () => {
    ({ home, env } = isolatedHome());
    seen = [];
    // Another portal on this machine that records what reaches it.
    server = createServer((request, response) => {
      seen.push(request.headers);
      response
        .writeHead(200, { 'content-type': 'application/x-ndjson' })
        .end('{"type":"accounts-complete","total":0}\n{"type":"done","accounts":0,"roles":0,"failedAccounts":0}\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    other = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses, in one line and before any request, a command aimed at another portal than the stored session', async () => {
    saveSession(configDirectory(env), session(A, 'default', TOKEN_A));
    const before = await snapshotTree(home);
    for (const argv of [
      ['accounts', '--portal', other],
      ['credential-process', '--account', '111122223333', '--role', 'ReadOnly', '--portal', other],
      ['status', '--portal', other],
    ]) {
      const result = await runCli(argv, env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`Your Gatehouse session is for ${A} (instance default), not for ${other}: run \`gatehouse login --portal ${other}\`.\n`);
    }
    const viaEnv = await runCli(['accounts'], { ...env, GATEHOUSE_PORTAL: other });
    expect(viaEnv.code).toBe(1);
    expect(seen).toEqual([]);
    expect(await snapshotTree(home)).toEqual(before);
  });

  it('sends GATEHOUSE_TOKEN, when set, instead of the stored one, to the portal named', async () => {
    saveSession(configDirectory(env), session(A, 'default', TOKEN_A));
    const result = await runCli(['accounts', '--json'], { ...env, GATEHOUSE_TOKEN: TOKEN_B, GATEHOUSE_PORTAL: other });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ accounts: [] });
    expect(seen.map((headers) => headers.authorization)).toEqual([`Bearer ${TOKEN_B}`]);
    expect(existsSync(path.join(configDirectory(env), STORE_FILE))).toBe(true);
    expect(readFileSync(path.join(configDirectory(env), STORE_FILE), 'utf8')).not.toContain(TOKEN_B);
  });
});
