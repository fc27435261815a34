import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

/**
 * The shipped reverse-proxy configurations, read as nginx reads them: a client must never be able
 * to claim an identity through them (TRUSTED_IDENTITY_HEADER trusts whatever the proxy passes on).
 */

interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/** nginx's configuration syntax: `name args;` and `name args { … }`, `#` comments, quoted arguments. */
function parseNginx(text: string): Directive[] {
  const tokens: string[] = [];
  const pattern = /#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].startsWith('#')) continue;
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  }
  let position = 0;
  const block = (): Directive[] => {
    const directives: Directive[] = [];
    while (position < tokens.length) {
      const name = tokens[position++]!;
      if (name === '}') return directives;
      const args: string[] = [];
      while (position < tokens.length && tokens[position] !== ';' && tokens[position] !== '{') args.push(tokens[position++]!);
      const end = tokens[position++];
      directives.push(end === '{' ? { name, args, block: block() } : { name, args });
    }
    return directives;
  };
  return block();
}

function serverDirectives(config: Directive[]): Directive[] {
  return config.filter((directive) => directive.name === 'server').flatMap((server) => server.block ?? []);
}

/** Every location that passes requests on to the portals. */
function portalLocations(config: Directive[]): Directive[] {
  return serverDirectives(config)
    .filter((directive) => directive.name === 'location')
    .filter((location) => (location.block ?? []).some((directive) => directive.name === 'proxy_pass' && directive.args[0] === 'http://gatehouse'));
}

const IDENTITY_HEADERS = ['X-Forwarded-User', 'X-Forwarded-Email', 'X-Forwarded-Preferred-Username', 'X-Auth-Request-User', 'X-Auth-Request-Email', 'Remote-User'];

/** The value a location sets for a header; an empty string removes it. */
function headerSet(location: Directive, header: string): string | undefined {
  return (location.block ?? []).find((directive) => directive.name === 'proxy_set_header' && directive.args[0]?.toLowerCase() === header.toLowerCase())
    ?.args[1];
}

describe('deploy/nginx.conf', () => {
  const config = parseNginx(readFileSync('deploy/nginx.conf', 'utf8'));

  it('removes every identity header a client could send, wherever it proxies to the portal', () => {
    const locations = portalLocations(config);
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) {
      for (const header of IDENTITY_HEADERS) expect(headerSet(location, header), `${location.args.join(' ')} ${header}`).toBe('');
    }
  });

  it('keeps the metrics off the public proxy', () => {
    const metrics = serverDirectives(config).find((directive) => directive.name === 'location' && directive.args.join(' ') === '= /api/metrics');
    expect(metrics?.block).toContainEqual({ name: 'return', args: ['404'] });
  });

  it('is the configuration compose.yaml runs in front of the portals', () => {
    const compose = parseYaml(readFileSync('compose.yaml', 'utf8')) as { services: { proxy: { volumes: string[] } } };
    expect(compose.services.proxy.volumes).toContain('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
  });
});

describe('deploy/nginx-oauth2-proxy.conf (the example with an authenticating proxy)', () => {
  const config = parseNginx(readFileSync('deploy/nginx-oauth2-proxy.conf', 'utf8'));

  /** The terminal's API and package: the command cannot sign in to oauth2-proxy (its person confirms it on a page behind it). */
  const terminalPaths = new Set(['/api/cli/', '/cli/']);

  it('sets X-Forwarded-User only from what oauth2-proxy answered, on every request it passes on to a page or the browser API', () => {
    const locations = portalLocations(config).filter((location) => !terminalPaths.has(location.args.join(' ')));
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) {
      const directives = location.block ?? [];
      expect(directives.find((directive) => directive.name === 'auth_request')?.args).toEqual(['/oauth2/auth']);
      const value = headerSet(location, 'X-Forwarded-User');
      expect(value).toMatch(/^\$[a-z_]+$/);
      const assigned = directives.find((directive) => directive.name === 'auth_request_set' && directive.args[0] === value);
      expect(assigned?.args[1]).toBe('$upstream_http_x_auth_request_user');
      for (const header of IDENTITY_HEADERS.filter((name) => name !== 'X-Forwarded-User')) expect(headerSet(location, header), header).toBe('');
    }
  });

  it('lets the terminal API and the command\'s package through without oauth2-proxy, with no identity at all', () => {
    const locations = portalLocations(config).filter((location) => terminalPaths.has(location.args.join(' ')));
    expect(locations.map((location) => location.args.join(' ')).sort()).toEqual(['/api/cli/', '/cli/']);
    for (const location of locations) {
      expect((location.block ?? []).some((directive) => directive.name === 'auth_request')).toBe(false);
      for (const header of IDENTITY_HEADERS) expect(headerSet(location, header), `${location.args.join(' ')} ${header}`).toBe('');
    }
  });
});
