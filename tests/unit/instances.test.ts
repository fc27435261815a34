import { describe, expect, it } from 'vitest';

import { INSTANCE_KEY_PATTERN, withInstance } from '@/lib/shared/instances';

describe('withInstance', () => {
  it('leaves every URL as it is with one instance', () => {
    expect(withInstance('/accounts', undefined)).toBe('/accounts');
    expect(withInstance('/sign-in?next=%2Faccounts', undefined)).toBe('/sign-in?next=%2Faccounts');
  });

  it('adds the instance as the first or a further query parameter, before any fragment', () => {
    expect(withInstance('/accounts', 'sandbox')).toBe('/accounts?instance=sandbox');
    expect(withInstance('/sign-in?next=%2Faccounts', 'sandbox')).toBe('/sign-in?next=%2Faccounts&instance=sandbox');
    expect(withInstance('/accounts#favorites', 'prod-eu')).toBe('/accounts?instance=prod-eu#favorites');
  });
});

describe('INSTANCE_KEY_PATTERN', () => {
  it.each(['default', 'production', 'prod-eu-1', 'a'])('accepts %j', (key) => expect(INSTANCE_KEY_PATTERN.test(key)).toBe(true));
  it.each(['', 'Prod', '-prod', 'prod_eu', '../x', 'a'.repeat(33), 'prod eu'])('refuses %j', (key) => expect(INSTANCE_KEY_PATTERN.test(key)).toBe(false));
});
