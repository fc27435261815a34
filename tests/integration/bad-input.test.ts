/**
 * Hostile and malformed input on every route, generated with fast-check: wrong types, huge bodies,
 * invalid JSON, look-alike digits, `__proto__` keys, line breaks and NULs, path traversal and
 * slashes in ids (encoded and not), wrong content types and origins, odd methods, garbage cookies and
 * query strings, signed in (as operator) and not. More than 10,000 requests, 8 at a time.
 *
 * The property, for every answer: never a 5xx; a 4xx, or a 2xx (3xx for the console link) only when
 * the input was valid and the person may have the answer (checked against an oracle written from
 * the contract, not from the portal's code); an API refusal is exactly `{"error": {"code",
 * "message"}}` and never repeats what was sent; a 429 says when to come back. Afterwards the portal
 * is still up and still serves a signed-in person.
 *
 * The portal runs as it would behind one trusted reverse proxy (TRUSTED_PROXY_COUNT=1) and each
 * request names a client address in X-Forwarded-For, so the per-address request budgets do not
 * turn every POST into a 429 after the first few dozen; the per-session budgets still apply (several
 * signed-in sessions share the load) and their 429s are checked like any other answer.
 */
import http from 'node:http';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, generateOrganisation, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { readListing } from '../support/api-session';

/** Fixed, so a failure can be replayed; fast-check prints it (with the path) in the failure. */
const SEED = 20_260_417;
const CONCURRENCY = 8;
/** Put inside generated strings: no answer may ever carry it back. */
const CANARY = 'Qz7canary';

// The contract, written out independently of the portal's own schemas (security bar §5.3).
const ACCOUNT_ID = /^[0-9]{12}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const REGION = /^([a-z]{2}(-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}$/;
const SESSION_HOURS = [1, 4, 8, 12];
const PROFILE_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const FORMATS = ['env', 'env-no-export', 'fish', 'powershell', 'windows-cmd', 'ini', 'dotenv', 'process'];
const CONSOLE_HOSTS = ['console.aws.amazon.com', 'console.amazonaws.cn', 'console.amazonaws-us-gov.com', 'console.amazonaws-eusc.eu'];
const MAX_BODY_BYTES = 16 * 1024;
/** Route segments, fields and parameters: the API may name them in a refusal. */
const API_WORDS = new Set(['accounts', 'accountId', 'roleName', 'region', 'profileName', 'destination', 'sessionHours', 'hours', 'favorites', 'format', 'credentials', 'console', 'starred', 'kind', 'session', 'refresh', 'stream', 'roles', 'health', 'aws-config', 'device', 'logout', 'poll', 'auth', 'api', SESSION_COOKIE]);

const directory = generateOrganisation({ accounts: 5, rolesPerAccount: 2, seed: 3, users: ['operator'] });
const OWN_ACCOUNTS = accountsOfUser(directory, 'operator').map((account) => account.accountId);
const OWN_PAIRS = OWN_ACCOUNTS.flatMap((accountId) => rolesOfUser(directory, 'operator', accountId).map((roleName) => [accountId, roleName] as const));
const owns = (accountId: unknown, roleName?: unknown) =>
  OWN_PAIRS.some(([account, role]) => account === accountId && (roleName === undefined || role === roleName));

// ---------------------------------------------------------------------------------------------
// What a request is: a compact spec (what fast-check prints on failure), turned into bytes to send.

type SignedIn = 'yes' | 'no' | 'maybe';

interface CookieSpec {
  header?: string;
  signedIn: SignedIn;
}

type BodySpec =
  | { kind: 'none' }
  | { kind: 'json'; entries: [string, unknown][] }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] }
  | { kind: 'nested'; depth: number }
  | { kind: 'huge'; bytes: number; chunked: boolean };

interface Spec {
  method: string;
  /** The request target exactly as sent: path and query, encoded (or not) as generated. */
  target: string;
  cookie: CookieSpec;
  origin?: string;
  site?: string;
  contentType?: string;
  forwardedFor?: string;
  body: BodySpec;
}

interface Sent {
  spec: Spec;
  headers: Record<string, string>;
  body?: Buffer;
  chunked: boolean;
  /** The body as the server reads it (UTF-8, BOM dropped), for the oracle. */
  text?: string;
  /** Strings from the request that no refusal may repeat. */
  tainted: string[];
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function bodyBytes(body: BodySpec): { bytes?: Buffer; chunked: boolean } {
  switch (body.kind) {
    case 'none':
      return { chunked: false };
    case 'json': {
      // Written by hand so that `__proto__` stays an ordinary key, as it would from any client.
      const members = body.entries
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
      return { bytes: Buffer.from(`{${members.join(',')}}`), chunked: false };
    }
    case 'text':
      return { bytes: Buffer.from(body.text), chunked: false };
    case 'bytes':
      return { bytes: Buffer.from(body.bytes), chunked: false };
    case 'nested':
      return { bytes: Buffer.from(`${'['.repeat(body.depth)}${']'.repeat(body.depth)}`), chunked: false };
    case 'huge': {
      const head = `{"accountId":"${OWN_PAIRS[0]![0]}","roleName":"${OWN_PAIRS[0]![1]}","kind":"account","starred":true,"pad":"`;
      return { bytes: Buffer.from(`${head}${'A'.repeat(Math.max(0, body.bytes - head.length - 2))}"}`), chunked: body.chunked };
    }
  }
}

function stringsIn(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      stringsIn(item, into);
    }
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function materialise(spec: Spec, portalHost: string): Sent {
  const headers: Record<string, string> = { host: portalHost };
  if (spec.cookie.header !== undefined) headers.cookie = spec.cookie.header;
  if (spec.origin !== undefined) headers.origin = spec.origin;
  if (spec.site !== undefined) headers['sec-fetch-site'] = spec.site;
  if (spec.contentType !== undefined) headers['content-type'] = spec.contentType;
  if (spec.forwardedFor !== undefined) headers['x-forwarded-for'] = spec.forwardedFor;
  const { bytes, chunked } = bodyBytes(spec.body);
  // Framed either way, whatever the method (Node frames a GET or DELETE body only when told to).
  if (bytes) headers[chunked ? 'transfer-encoding' : 'content-length'] = chunked ? 'chunked' : String(bytes.length);
  const text = bytes ? new TextDecoder().decode(bytes) : undefined;

  const tainted: string[] = [];
  if (spec.body.kind === 'json') stringsIn(spec.body.entries, tainted);
  if (spec.body.kind === 'text') tainted.push(spec.body.text);
  const url = new URL(spec.target, 'http://portal.test');
  tainted.push(...url.pathname.split('/').map(safeDecode));
  for (const [key, value] of url.searchParams) tainted.push(key, value);
  if (spec.cookie.header) tainted.push(...spec.cookie.header.split(/[;=]/));
  return {
    spec,
    headers,
    body: bytes,
    chunked,
    text,
    // Short strings occur in any sentence by chance (the canary catches echoes of those), and the
    // API's own names (routes, fields, parameters) may well appear in its messages.
    tainted: tainted.map((value) => value.trim()).filter((value) => value.length >= 8 && !API_WORDS.has(value)),
  };
}

// ---------------------------------------------------------------------------------------------
// Generators.

const lookalikeDigits = fc.constantFrom(
  '１２３４５６７８９０１２', // full-width
  '١٢٣٤٥٦٧٨٩٠١٢', // Arabic-Indic
  '۱۲۳۴۵۶۷۸۹۰۱۲', // Extended Arabic-Indic
  '१२३४५६७८९०१२', // Devanagari
  '𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎𝟏𝟐', // mathematical bold
  '12345678901２',
);
const mixedDigits = fc
  .array(fc.constantFrom(...'0123456789'.split(''), '１', '٣', '۴', '५', '𝟕', '٠'), { minLength: 11, maxLength: 13 })
  .map((digits) => digits.join(''));
const nearMisses = fc.constantFrom(
  '12345678901',
  '1234567890123',
  ' 123456789012',
  '123456789012 ',
  '123456789012\n',
  '\n123456789012',
  '123456789012\r\n',
  '1234567890\u000012',
  '1e11',
  '0x1234567890',
  '-12345678901',
  '+12345678901',
  '123456789012.0',
  '',
);
const traversal = fc.constantFrom(
  '..',
  '../..',
  '../../etc/passwd',
  '..%2F..%2Fapi%2Fsession',
  '%2e%2e',
  '%2e%2e%2f',
  '....//',
  '..\\..\\windows',
  '/etc/passwd',
  'a/b',
  'a%2Fb',
  'a%252Fb',
  '%00',
  '%',
  '%E0%A4%A',
  '%zz',
  '..;/',
  'Role/../Other',
  '.',
  '~',
);
const injection = fc.constantFrom(
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  'Admin\r\nSet-Cookie: x=1',
  'line\nbreak',
  'tab\there',
  'nul\u0000byte',
  '\u202eevil',
  '\ufeffAdmin',
  'A'.repeat(65),
  'é',
  '🙂',
  '*',
  'a b',
  '\ud800',
);
const canaryText = fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([a, b]) => `${a}${CANARY}${b}`);
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const hostileText = fc.oneof(anyText, lookalikeDigits, mixedDigits, nearMisses, traversal, injection, canaryText);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(123456789012),
  fc.constant([OWN_ACCOUNTS[0]]),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constant({ $ne: null }),
);

const ownAccount = fc.constantFrom(...OWN_ACCOUNTS);
const foreignAccount = fc.stringMatching(/^[1-9][0-9]{11}$/).filter((id) => !OWN_ACCOUNTS.includes(id));
const accountIdValue = fc.oneof(
  { weight: 4, arbitrary: ownAccount },
  { weight: 1, arbitrary: foreignAccount },
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: wrongType },
);
const ownRole = fc.constantFrom(...OWN_PAIRS.map(([, role]) => role));
const roleNameValue = fc.oneof(
  { weight: 4, arbitrary: ownRole },
  { weight: 1, arbitrary: fc.stringMatching(/^[\w+=,.@-]{1,64}$/) },
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: wrongType },
);
/** A field that is usually absent, sometimes valid, sometimes not. */
const optional = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: valid }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: wrongType });
const regionValue = fc.constantFrom('eu-west-1', 'us-east-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-2', 'eusc-de-east-1');
const destinationValue = fc.constantFrom(
  '/ec2/home',
  '/s3/buckets?region=eu-west-1',
  'https://console.aws.amazon.com/s3/home',
  'https://eu-west-1.console.aws.amazon.com/ec2/home',
  'https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances:',
  'https://console.amazonaws.cn/ec2/home',
  '//evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  'https://console.aws.amazon.com.evil.example/',
  'http://console.aws.amazon.com/',
  '/\\evil.example',
  '/ec2 home',
);

/** Keys a body should not have: prototype pollution, near-miss names. */
const extraKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'accountid', 'AccountId', 'extra', '');
const extras = fc.oneof(
  { weight: 4, arbitrary: fc.constant([] as [string, unknown][]) },
  {
    weight: 1,
    arbitrary: fc.array(fc.tuple(extraKey, fc.oneof(hostileText, wrongType, fc.constant({ polluted: true }))), { minLength: 1, maxLength: 2 }),
  },
);

/** A request body: mostly JSON objects built from `fields`, otherwise anything a client could send. */
function bodyOf(fields: fc.Arbitrary<[string, unknown][]>): fc.Arbitrary<BodySpec> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.tuple(fields, extras).map(([known, extra]): BodySpec => ({ kind: 'json', entries: [...known, ...extra] })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value): BodySpec => ({ kind: 'text', text: JSON.stringify(value) ?? 'null' })) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom('{', '{"accountId":}', "{'accountId':'1'}", '{"a":1,}', 'NaN', 'undefined', '{"a":"\u0000"}', '\ufeff{}', '[', '"', '{}}', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', '  \n\t ', ''),
          anyText,
        )
        .map((text): BodySpec => ({ kind: 'text', text })),
    },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 48 }).map((bytes): BodySpec => ({ kind: 'bytes', bytes })) },
    { weight: 1, arbitrary: fc.integer({ min: 500, max: 8_000 }).map((depth): BodySpec => ({ kind: 'nested', depth })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(MAX_BODY_BYTES + 1, 64 * 1024, 1024 * 1024), fc.boolean())
        .map(([bytes, chunked]): BodySpec => ({ kind: 'huge', bytes, chunked })),
    },
    { weight: 1, arbitrary: fc.constant<BodySpec>({ kind: 'none' }) },
  );
}
const emptyObject = fc.constant([] as [string, unknown][]);

const headerSafe = fc.string({ unit: fc.constantFrom(...[...Array(0x7e - 0x21 + 1).keys()].map((code) => String.fromCharCode(code + 0x21)).filter((c) => c !== ';')), maxLength: 60 });
const garbageCookieValue = fc.oneof(
  headerSafe,
  fc.constantFrom('%', '%E0%A4%A', '""', '"quoted"', 'a=b=c', '\\', 'deleted', 'x'.repeat(3000), '\u00e9t\u00e9'),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
);

function cookieOf(sessions: string[], staleSession: string): fc.Arbitrary<CookieSpec> {
  const session = fc.constantFrom(...sessions);
  return fc.oneof(
    { weight: 5, arbitrary: session.map((id): CookieSpec => ({ header: `${SESSION_COOKIE}=${id}`, signedIn: 'yes' })) },
    { weight: 1, arbitrary: fc.tuple(session, headerSafe).map(([id, junk]): CookieSpec => ({ header: `junk=${junk}; ${SESSION_COOKIE}=${id}`, signedIn: 'maybe' })) },
    { weight: 3, arbitrary: fc.constant<CookieSpec>({ signedIn: 'no' }) },
    { weight: 2, arbitrary: garbageCookieValue.map((value): CookieSpec => ({ header: `${SESSION_COOKIE}=${value}`, signedIn: 'no' })) },
    { weight: 1, arbitrary: garbageCookieValue.map((value): CookieSpec => ({ header: value, signedIn: 'no' })) },
    { weight: 1, arbitrary: fc.constant<CookieSpec>({ header: `${SESSION_COOKIE}=${staleSession}`, signedIn: 'no' }) },
    {
      weight: 1,
      arbitrary: fc.tuple(garbageCookieValue, session).map(([value, id]): CookieSpec => ({ header: `${SESSION_COOKIE}=${value}; ${SESSION_COOKIE}=${id}`, signedIn: 'maybe' })),
    },
  );
}

/** A query string nobody asked for: encodings broken and not, pollution-style keys. */
const garbageQuery = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('a=%E0%A4%A', '%', '&&&=&', '__proto__[x]=1', 'constructor.prototype.x=1', 'x[]=1&x[]=2', `${CANARY}=${CANARY}`, 'a=%00', 'q=%0d%0aSet-Cookie:%20x=1'),
        fc.string({ maxLength: 30 }).map((text) => encodeURIComponent(wellFormed(text))),
      )
      .map((query) => `?${query}`),
  },
);

/** Lone surrogates cannot be percent-encoded; a client would send U+FFFD. */
const wellFormed = (value: string) => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** A path segment as a client might put it: encoded properly, raw, double-encoded. */
function segment(value: string, how: 'component' | 'raw' | 'double'): string {
  const text = wellFormed(value);
  if (how === 'component') return encodeURIComponent(text);
  if (how === 'double') return encodeURIComponent(encodeURIComponent(text));
  // Raw: only what an HTTP request line can carry goes unencoded (slashes, dots and % included).
  return [...text].map((c) => (/^[\x21-\x7e]$/.test(c) && c !== '?' && c !== '#' ? c : encodeURIComponent(c))).join('');
}
const segmentStyle = fc.constantFrom<'component' | 'raw' | 'double'>('component', 'component', 'raw', 'raw', 'double');
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined');

// ---------------------------------------------------------------------------------------------
// The oracle.

function validJsonObject(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined || Buffer.byteLength(text) > MAX_BODY_BYTES) return text === undefined ? {} : null;
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return null;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function hasOnlyKeys(value: Record<string, unknown>, required: string[], optionalKeys: string[] = []): boolean {
  const keys = Object.keys(value);
  return required.every((key) => keys.includes(key)) && keys.every((key) => required.includes(key) || optionalKeys.includes(key));
}

const matches = (pattern: RegExp, value: unknown) => typeof value === 'string' && pattern.test(value);

function validDestination(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  if (/^\/(?!\/)[^\s\\]*$/.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && CONSOLE_HOSTS.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
  } catch {
    return false;
  }
}

/**
 * A state-changing request the portal must accept: from its own page, JSON, within the size cap.
 * The portal runs in demo mode on loopback, where `localhost` with the same scheme and port is the
 * same portal as `127.0.0.1`.
 */
function fromOwnPage(sent: Sent, portalOrigin: string): boolean {
  const { spec } = sent;
  if (spec.site !== undefined && spec.site !== 'same-origin') return false;
  if (spec.origin !== portalOrigin && spec.origin !== portalOrigin.replace('//127.0.0.1:', '//localhost:')) return false;
  if (!/^application\/json\s*(;|$)/i.test(spec.contentType ?? '')) return false;
  return (sent.body?.length ?? 0) <= MAX_BODY_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Routes.

interface RouteGroup {
  name: string;
  /** Requests to send (a multiple of CONCURRENCY). */
  requests: number;
  arbitrary: fc.Arbitrary<Spec>;
  /** The route's paths (after dot segments are resolved); traversal may lead a request elsewhere. */
  route: RegExp;
  /** Methods the route serves; any other gets a 405. */
  methods: string[];
  /** For a 2xx/3xx: asserts that the input was valid and the answer is right. */
  accept: (sent: Sent, answer: Answer) => void;
}

interface Context {
  portal: RunningPortal;
  emulator: RunningEmulator;
  sessions: string[];
  logoutSessions: string[];
  staleSession: string;
}

function methodOf(served: string[]): fc.Arbitrary<string> {
  const others = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((method) => !served.includes(method));
  return fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...served) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}

function groups(context: Context): RouteGroup[] {
  const { portal, emulator } = context;
  const origin = portal.url;
  const cookie = cookieOf(context.sessions, context.staleSession);
  const forwardedFor = fc.oneof(
    { weight: 12, arbitrary: fc.ipV4() },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'not-an-address', '203.0.113.1, evil', '::1', '999.1.1.1', '') },
  );
  const postHeaders = fc.record({
    origin: fc.oneof(
      { weight: 8, arbitrary: fc.constant(origin) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, 'null', 'https://evil.example', 'http://127.0.0.1:1', `http://localhost:${portal.port}`, `https://127.0.0.1:${portal.port}`, `${origin}.evil.example`, '%', '') },
    ),
    site: fc.oneof(
      { weight: 6, arbitrary: fc.constant('same-origin') },
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('cross-site', 'same-site', 'none', 'SAME-ORIGIN', '') },
    ),
    contentType: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'APPLICATION/JSON', 'text/json', '', '*/*'),
      },
    ),
    forwardedFor,
  });
  // GET requests sometimes carry the headers and bodies of a POST, too.
  const getExtras = fc.oneof(
    { weight: 6, arbitrary: fc.record({ forwardedFor }).map((extra) => ({ ...extra, body: { kind: 'none' } as BodySpec })) },
    { weight: 1, arbitrary: fc.tuple(postHeaders, bodyOf(emptyObject)).map(([headers, body]) => ({ ...headers, body })) },
  );

  const post = (path: string, fields: fc.Arbitrary<[string, unknown][]>, served = ['POST'], query: fc.Arbitrary<string> = garbageQuery) =>
    fc.record({ method: methodOf(served), query, cookie, headers: postHeaders, body: bodyOf(fields) }).map(
      ({ method, query: search, cookie: jar, headers, body }): Spec => ({ method, target: `${path}${search}`, cookie: jar, ...headers, body }),
    );
  const get = (target: fc.Arbitrary<string>, served = ['GET'], jar = cookie) =>
    fc.record({ method: methodOf(served), target, cookie: jar, extra: getExtras }).map(
      ({ method, target: path, cookie: cookieSpec, extra }): Spec => ({ method, target: path, cookie: cookieSpec, ...extra }),
    );

  const signedIn = (sent: Sent) => expect(sent.spec.cookie.signedIn, 'a 2xx for a request without a session').not.toBe('no');
  const json = (answer: Answer) => {
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    return JSON.parse(answer.text) as Record<string, unknown>;
  };
  const bodyOk = (sent: Sent, check: (body: Record<string, unknown>) => boolean) => {
    expect(fromOwnPage(sent, origin), 'a 2xx for a request the portal must refuse (origin, fetch metadata, content type, size)').toBe(true);
    const body = validJsonObject(sent.text);
    expect(body !== null && check(body), `a 2xx for an invalid body: ${sent.text?.slice(0, 200)}`).toBe(true);
    return body!;
  };
  const emptyBody = (body: Record<string, unknown>) => Object.keys(body).length === 0;
  const query = (sent: Sent) => new URL(sent.spec.target, 'http://portal.test').searchParams;
  const accountsOnly = (ids: unknown[]) => ids.every((id) => OWN_ACCOUNTS.includes(String(id)));
  const ndjson = (answer: Answer) => {
    expect(answer.headers['content-type']).toContain('application/x-ndjson');
    const events = answer.text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; accounts?: unknown });
    const listed = events.flatMap((event) => (event.type === 'accounts' ? (event.accounts as { accountId: string }[]) : []));
    expect(accountsOnly(listed.map((account) => account.accountId))).toBe(true);
    expect(events.at(-1)?.type).toBe('done');
  };

  const credentialFields = fc
    .oneof(
      { weight: 3, arbitrary: fc.constantFrom(...OWN_PAIRS).map(([accountId, roleName]) => ({ accountId, roleName }) as Record<string, unknown>) },
      { weight: 4, arbitrary: fc.record({ accountId: accountIdValue, roleName: roleNameValue }) },
      { weight: 1, arbitrary: fc.record({ accountId: fc.oneof(accountIdValue, fc.constant(undefined)), roleName: fc.oneof(roleNameValue, fc.constant(undefined)) }) },
    )
    .chain((pair) => fc.record({ region: optional(regionValue), profileName: optional(fc.stringMatching(/^[A-Za-z0-9._@+-]{1,64}$/)) }).map((rest) => ({ ...pair, ...rest })))
    .map((fields) => Object.entries(fields));
  const consoleFields = fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...OWN_PAIRS).map(([accountId, roleName]) => ({ accountId, roleName }) as Record<string, unknown>) },
        { weight: 4, arbitrary: fc.record({ accountId: accountIdValue, roleName: roleNameValue }) },
      ),
      fc.record({
        region: optional(regionValue),
        destination: optional(destinationValue),
        sessionHours: optional(fc.constantFrom(1, 4, 8, 12, 2, 0, 24, 14400, '4')),
      }),
    )
    .map(([pair, rest]) => Object.entries({ ...pair, ...rest }));
  const favoriteFields = fc
    .record({
      kind: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('account', 'role') }, { weight: 1, arbitrary: fc.oneof(hostileText, wrongType, fc.constant(undefined)) }),
      accountId: accountIdValue,
      roleName: fc.oneof(roleNameValue, fc.constant(undefined)),
      starred: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.oneof(wrongType, fc.constantFrom('true', 'false', 1, 0)) }),
    })
    .map((fields) => Object.entries(fields));
  const formatQuery = fc.oneof(
    { weight: 3, arbitrary: garbageQuery },
    { weight: 2, arbitrary: fc.constantFrom(...FORMATS).map((format) => `?format=${format}`) },
    { weight: 2, arbitrary: fc.oneof(hostileText, fc.constantFrom('ENV', 'env ', 'json', 'ini\n', '')).map((format) => `?format=${segment(asText(format), 'component')}`) },
    { weight: 1, arbitrary: fc.constantFrom('?format=env&format=nope', '?format=nope&format=env', '?format=%E0%A4%A', '?format') },
  );

  const idSegment = fc.tuple(accountIdValue, segmentStyle).map(([value, how]) => segment(asText(value), how));
  const roleSegment = fc.tuple(roleNameValue, segmentStyle).map(([value, how]) => segment(asText(value), how));
  const awsConfigQuery = fc
    .record({
      region: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: regionValue }, { weight: 2, arbitrary: hostileText }),
      favorites: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom('0', '1', 'true', 'false') }, { weight: 1, arbitrary: hostileText }),
      junk: garbageQuery,
    })
    .map(({ region, favorites, junk }) => {
      const parts = [region === undefined ? '' : `region=${segment(asText(region), 'component')}`, favorites === undefined ? '' : `favorites=${segment(asText(favorites), 'component')}`].filter(Boolean);
      const search = parts.join('&');
      return search ? `?${search}${junk ? `&${junk.slice(1)}` : ''}` : junk;
    });
  const consoleLinkQuery = fc
    .record({
      region: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: regionValue }, { weight: 1, arbitrary: hostileText }),
      destination: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: destinationValue }, { weight: 1, arbitrary: hostileText }),
      hours: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('1', '4', '8', '12', '2', '0', '4.0') }, { weight: 1, arbitrary: hostileText }),
    })
    .map(({ region, destination, hours }) =>
      [
        region === undefined ? '' : `region=${segment(asText(region), 'component')}`,
        destination === undefined ? '' : `destination=${segment(asText(destination), 'component')}`,
        hours === undefined ? '' : `hours=${segment(asText(hours), 'component')}`,
      ]
        .filter(Boolean)
        .join('&'),
    )
    .map((search) => (search ? `?${search}` : ''));

  const logoutCookie = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...context.logoutSessions).map((id): CookieSpec => ({ header: `${SESSION_COOKIE}=${id}`, signedIn: 'yes' })) },
    { weight: 6, arbitrary: cookieOf(context.sessions, context.staleSession).filter((jar) => jar.signedIn === 'no') },
  );

  return [
    {
      name: 'GET /api/health, GET /api/session',
      requests: 640,
      route: /^\/api\/(health|session)$/,
      methods: ['GET'],
      arbitrary: get(fc.tuple(fc.constantFrom('/api/health', '/api/session'), garbageQuery).map(([path, search]) => `${path}${search}`)),
      accept: (sent, answer) => {
        const body = json(answer);
        if (sent.spec.target.startsWith('/api/health')) expect(body).toEqual({ status: 'ok' });
        else if (body.signedIn) {
          signedIn(sent);
          // The user name is known once a listing has learned it.
          expect(body.user === undefined || body.user === 'operator').toBe(true);
        } else expect(body).toEqual({ signedIn: false });
      },
    },
    {
      name: 'POST /api/auth/device',
      requests: 800,
      route: /^\/api\/auth\/device$/,
      methods: ['POST'],
      arbitrary: post('/api/auth/device', fc.oneof(emptyObject, credentialFields)),
      accept: (sent, answer) => {
        bodyOk(sent, emptyBody);
        expect(Object.keys(json(answer)).sort()).toEqual(['expiresAt', 'intervalSeconds', 'userCode', 'verificationUri', 'verificationUriComplete']);
      },
    },
    {
      name: 'POST /api/auth/device/poll',
      requests: 800,
      route: /^\/api\/auth\/device\/poll$/,
      methods: ['POST'],
      arbitrary: post('/api/auth/device/poll', fc.oneof(emptyObject, favoriteFields)),
      accept: (sent, answer) => {
        bodyOk(sent, emptyBody);
        expect(['pending', 'approved', 'denied', 'expired']).toContain(json(answer).status);
      },
    },
    {
      name: 'POST /api/auth/logout',
      requests: 640,
      route: /^\/api\/auth\/logout$/,
      methods: ['POST'],
      arbitrary: fc
        .record({ method: methodOf(['POST']), search: garbageQuery, cookie: logoutCookie, headers: postHeaders, body: bodyOf(fc.oneof(emptyObject, favoriteFields)) })
        .map(({ method, search, cookie: jar, headers, body }): Spec => ({ method, target: `/api/auth/logout${search}`, cookie: jar, ...headers, body })),
      accept: (sent, answer) => {
        bodyOk(sent, emptyBody);
        signedIn(sent);
        expect(json(answer)).toEqual({ signedOut: true });
      },
    },
    {
      name: 'POST /api/accounts/refresh',
      requests: 640,
      route: /^\/api\/accounts\/refresh$/,
      methods: ['POST'],
      arbitrary: post('/api/accounts/refresh', fc.oneof(emptyObject, credentialFields)),
      accept: (sent, answer) => {
        bodyOk(sent, emptyBody);
        signedIn(sent);
        ndjson(answer);
      },
    },
    {
      name: 'GET and POST /api/favorites',
      requests: 1_040,
      route: /^\/api\/favorites$/,
      methods: ['GET', 'POST'],
      arbitrary: fc.oneof(get(garbageQuery.map((search) => `/api/favorites${search}`), ['GET', 'POST']), post('/api/favorites', favoriteFields, ['GET', 'POST'])),
      accept: (sent, answer) => {
        signedIn(sent);
        const body = json(answer);
        expect(Object.keys(body).sort()).toEqual(['accounts', 'recent', 'roles']);
        expect(accountsOnly(body.accounts as unknown[])).toBe(true);
        if (sent.spec.method === 'POST') {
          bodyOk(sent, (change) =>
            change.kind === 'account'
              ? hasOnlyKeys(change, ['kind', 'accountId', 'starred']) && typeof change.starred === 'boolean' && owns(change.accountId)
              : change.kind === 'role' &&
                hasOnlyKeys(change, ['kind', 'accountId', 'roleName', 'starred']) &&
                typeof change.starred === 'boolean' &&
                owns(change.accountId, change.roleName),
          );
        }
      },
    },
    {
      name: 'POST /api/credentials (+ ?format=)',
      requests: 1_600,
      route: /^\/api\/credentials$/,
      methods: ['POST'],
      arbitrary: post('/api/credentials', credentialFields, ['POST'], formatQuery),
      accept: (sent, answer) => {
        signedIn(sent);
        bodyOk(
          sent,
          (body) =>
            hasOnlyKeys(body, ['accountId', 'roleName'], ['region', 'profileName']) &&
            matches(ACCOUNT_ID, body.accountId) &&
            matches(ROLE_NAME, body.roleName) &&
            (body.region === undefined || matches(REGION, body.region)) &&
            (body.profileName === undefined || matches(PROFILE_NAME, body.profileName)) &&
            owns(body.accountId, body.roleName),
        );
        const format = query(sent).get('format');
        if (format === null) {
          expect(Object.keys(json(answer)).sort()).toEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken']);
        } else {
          expect(FORMATS).toContain(format);
          expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
        }
      },
    },
    {
      name: 'POST /api/console',
      requests: 1_040,
      route: /^\/api\/console$/,
      methods: ['POST'],
      arbitrary: post('/api/console', consoleFields),
      accept: (sent, answer) => {
        signedIn(sent);
        bodyOk(
          sent,
          (body) =>
            hasOnlyKeys(body, ['accountId', 'roleName'], ['region', 'destination', 'sessionHours']) &&
            owns(body.accountId, body.roleName) &&
            (body.region === undefined || matches(REGION, body.region)) &&
            (body.destination === undefined || validDestination(body.destination)) &&
            (body.sessionHours === undefined || SESSION_HOURS.includes(body.sessionHours as number)),
        );
        expect(String(json(answer).url)).toMatch(new RegExp(`^${emulator.url}/federation\\?Action=login&`));
      },
    },
    {
      name: 'GET /api/accounts, GET /api/accounts/stream',
      requests: 800,
      route: /^\/api\/accounts(\/stream)?$/,
      methods: ['GET'],
      arbitrary: get(fc.tuple(fc.constantFrom('/api/accounts', '/api/accounts/stream'), garbageQuery).map(([path, search]) => `${path}${search}`)),
      accept: (sent, answer) => {
        signedIn(sent);
        if (new URL(sent.spec.target, origin).pathname === '/api/accounts/stream') ndjson(answer);
        else expect(accountsOnly((json(answer).accounts as { accountId: string }[]).map((account) => account.accountId))).toBe(true);
      },
    },
    {
      name: 'GET /api/accounts/{id}/roles',
      requests: 1_200,
      route: /^\/api\/accounts\/[^/]+\/roles$/,
      methods: ['GET'],
      arbitrary: get(fc.tuple(idSegment, garbageQuery).map(([id, search]) => `/api/accounts/${id}/roles${search}`)),
      accept: (sent, answer) => {
        signedIn(sent);
        const id = safeDecode(/^\/api\/accounts\/([^/?]*)\/roles/.exec(sent.spec.target)?.[1] ?? '');
        expect(owns(id), `roles served for ${JSON.stringify(id)}`).toBe(true);
        expect(json(answer)).toEqual({ roles: [...rolesOfUser(directory, 'operator', id)].sort().map((roleName) => ({ roleName })) });
      },
    },
    {
      name: 'GET /api/aws-config?…',
      requests: 640,
      route: /^\/api\/aws-config$/,
      methods: ['GET'],
      arbitrary: get(awsConfigQuery.map((search) => `/api/aws-config${search}`)),
      accept: (sent, answer) => {
        signedIn(sent);
        const search = query(sent);
        const region = search.get('region');
        const favorites = search.get('favorites');
        expect(region === null || REGION.test(region)).toBe(true);
        expect(favorites === null || ['0', '1', 'true', 'false'].includes(favorites)).toBe(true);
        expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(answer.text).toContain('[sso-session ');
      },
    },
    {
      name: 'GET /console/{id}/{role}?… (the console link, a page)',
      requests: 1_040,
      route: /^\/console\/[^/]+\/[^/]+$/,
      methods: ['GET'],
      arbitrary: get(fc.tuple(idSegment, roleSegment, consoleLinkQuery).map(([id, role, search]) => `/console/${id}/${role}${search}`)),
      accept: (sent, answer) => {
        // Only redirects: to sign in (signed out) or to the console (signed in, own role, valid link).
        expect(answer.status).toBe(303);
        const match = /^\/console\/([^/?]*)\/([^/?]*)(\?.*)?$/.exec(sent.spec.target);
        expect(match).not.toBeNull();
        const [, id, role] = match!;
        const search = query(sent);
        const region = search.get('region');
        const destination = search.get('destination');
        const hours = search.get('hours');
        expect(ACCOUNT_ID.test(safeDecode(id!)) && ROLE_NAME.test(safeDecode(role!))).toBe(true);
        expect(region === null || REGION.test(region)).toBe(true);
        expect(destination === null || validDestination(destination)).toBe(true);
        expect(hours === null || SESSION_HOURS.map(String).includes(hours)).toBe(true);
        const location = String(answer.headers.location);
        if (location.startsWith('/sign-in?next=')) {
          // Back to this very link after signing in, never elsewhere (and on the host the browser came by).
          expect(new URL(location, origin).searchParams.get('next')).toMatch(/^\/console\//);
        } else {
          signedIn(sent);
          expect(owns(safeDecode(id!), safeDecode(role!))).toBe(true);
          expect(location).toMatch(new RegExp(`^${emulator.url}/federation\\?Action=login&`));
        }
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------

/** Next.js answers a path with doubled or trailing slashes (or dot segments) by redirecting to its canonical form. */
function canonicalRedirect(target: string, answer: Answer): boolean {
  const path = target.replace(/[?#].*$/, '');
  if (![301, 308].includes(answer.status) || !/\/\/|\/$|(^|\/)\.\.?(\/|$)/.test(path)) return false;
  const location = String(answer.headers.location ?? '');
  // Same origin, a path: never anywhere else.
  expect(location).toMatch(/^\/(?![/\\])/);
  return true;
}

/** The property, for one request and its answer. */
function expectAnswer(group: RouteGroup, sent: Sent, answer: Answer): void {
  const { spec } = sent;
  expect(answer.status, 'a 5xx').toBeLessThan(500);
  expect(answer.status).toBeGreaterThanOrEqual(200);
  // Where the request really goes once dot segments are resolved (as the server resolves them).
  const path = new URL(spec.target, 'http://portal.test').pathname;
  const onRoute = group.route.test(path);
  if (answer.status < 400) {
    if (canonicalRedirect(spec.target, answer)) return;
    // Traversal led elsewhere (the home page, say): that route answers as it always does.
    if (onRoute) group.accept(sent, answer);
    return;
  }
  if (onRoute || path.startsWith('/api/')) {
    // The portal's own refusals say what was wrong, never what was sent.
    expect(answer.text, 'echoes the canary').not.toContain(CANARY);
    for (const value of sent.tainted) expect(answer.text.includes(value), `echoes ${JSON.stringify(value)}`).toBe(false);
  } else {
    // A path that names no route gets the site's not-found page, whose router data carries the path: escaped.
    expect(answer.text).not.toMatch(/<script>alert|<\/script><script>/i);
  }
  expect(answer.text, 'a stack trace').not.toMatch(/\n\s+at |node_modules|\.tsx?:\d/);
  if (onRoute && !group.methods.includes(spec.method)) {
    // Not a method this route serves: 405 (or 400 for a path that is not valid percent-encoding).
    expect([400, 405]).toContain(answer.status);
  }
  // Every refusal under /api is the API's JSON; elsewhere (the console link, pages) people get HTML.
  if (path.startsWith('/api/')) {
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(answer.text) as { error: { code: unknown; message: unknown } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(typeof body.error.code === 'string' && typeof body.error.message === 'string').toBe(true);
    if (answer.status === 405) {
      expect(body.error.code).toBe('method_not_allowed');
      expect(answer.headers.allow).toMatch(/^[A-Z, ]+$/);
    }
    if (answer.status === 429) expect(body.error.code).toBe('rate_limited');
  }
  if (answer.status === 429) expect(String(answer.headers['retry-after'])).toMatch(/^[1-9]\d*$/);
}

function send(port: number, agent: http.Agent, sent: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      { host: '127.0.0.1', port, method: sent.spec.method, path: sent.spec.target, headers: sent.headers, agent },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error(`no answer within 30 s: ${sent.spec.method} ${sent.spec.target}`)));
    // A server may refuse a large body before reading it all; what counts is that it answered.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (sent.body && sent.chunked) {
      for (let offset = 0; offset < sent.body.length; offset += 64 * 1024) request.write(sent.body.subarray(offset, offset + 64 * 1024));
      request.end();
    } else {
      request.end(sent.body);
    }
  });
}

describe('hostile and malformed input on every route', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let context: Context;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let total = 0;
  const statuses = new Map<string, Map<number, number>>();

  const sessionOf = (client: PortalClient) => client.cookies.get(SESSION_COOKIE)!;
  const trustedProxyHeaders = () => ({ 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250) + 1}` });

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, seed: 5, directory });
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200', TRUSTED_PROXY_COUNT: '1' } });
    const signInBehindProxy = () => signIn(new PortalClient(portal.url, trustedProxyHeaders()), emulator, 'operator');
    const [first, ...others] = await Promise.all(Array.from({ length: 9 }, signInBehindProxy));
    // The listing (and the user name with it) is what the portal authorizes against.
    await readListing(await first!.get('/api/accounts/stream'), { ndjson: true });
    // A cookie from a session that has since signed out.
    const stale = others.pop()!;
    const staleSession = sessionOf(stale);
    expect((await stale.post('/api/auth/logout', {}, trustedProxyHeaders())).status).toBe(200);
    context = {
      portal,
      emulator,
      sessions: [first!, ...others.slice(0, 5)].map(sessionOf),
      logoutSessions: others.slice(5).map(sessionOf),
      staleSession,
    };
  }, 60_000);
  afterAll(async () => {
    agent.destroy();
    for (const [name, counts] of statuses) console.log(`${name}: ${[...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ')}`);
    console.log(`bad-input: ${total} requests`);
    await portal?.stop();
    await emulator?.close();
  });

  const groupSizes = [640, 800, 800, 640, 640, 1_040, 1_600, 1_040, 800, 1_200, 640, 1_040];

  for (const [index, size] of groupSizes.entries()) {
    it(`group ${index + 1}: every answer is a clear refusal, or right for valid input (${size} requests)`, async () => {
      const group = groups(context)[index]!;
      expect(group.requests).toBe(size);
      const counts = new Map<number, number>();
      statuses.set(group.name, counts);
      const host = `127.0.0.1:${portal.port}`;

      const check = async (spec: Spec) => {
        const sent = materialise(spec, host);
        const answer = await send(portal.port, agent, sent);
        total += 1;
        counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
        try {
          expectAnswer(group, sent, answer);
        } catch (error) {
          // One line per request that failed, instead of fast-check's whole batch.
          const headers = Object.entries(sent.headers).filter(([name]) => name !== 'host');
          throw new Error(
            `${spec.method} ${spec.target}\n  headers ${JSON.stringify(Object.fromEntries(headers))}\n  body ${JSON.stringify(sent.text?.slice(0, 300) ?? null)}` +
              `\n→ ${answer.status} ${answer.headers['content-type'] ?? '(no content type)'} ${JSON.stringify(answer.text.slice(0, 300))}` +
              `\n${error instanceof Error ? error.message : String(error)}`,
          );
        }
      };

      await fc.assert(
        fc.asyncProperty(fc.array(group.arbitrary, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
          await Promise.all(batch.map(check));
        }),
        { numRuns: group.requests / CONCURRENCY, seed: SEED + index, endOnFailure: true, verbose: 0 },
      );
    }, 120_000);
  }

  it('sent at least 10,000 requests in all, each answered and checked', () => {
    expect(total).toBeGreaterThanOrEqual(10_000);
  });

  it('is still up afterwards and still serves a signed-in person', async () => {
    const health = await fetch(`${portal.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const person = await signIn(new PortalClient(portal.url, trustedProxyHeaders()), emulator, 'operator');
    const accounts = await person.get('/api/accounts');
    expect(accounts.status).toBe(200);
    expect(((await accounts.json()) as { accounts: { accountId: string }[] }).accounts.map((account) => account.accountId).sort()).toEqual([...OWN_ACCOUNTS].sort());
    const [accountId, roleName] = OWN_PAIRS[0]!;
    const credentials = await person.post('/api/credentials', { accountId, roleName }, trustedProxyHeaders());
    expect(credentials.status).toBe(200);
    // Nothing reached the portal's last-resort handler.
    expect(portal.output()).not.toContain('unexpected_error');
  });
});
