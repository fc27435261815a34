/**
 * The organisation of the load run: one pool of accounts, and many people who each see a part of it
 * (most 20–300 accounts, a few 2,000), as the people of a real organisation do.
 */
import { generateOrganisation } from '../../emulator/directory';
import type { Directory, DirectoryAssignment } from '../../emulator/types';
import type { LoadOptions } from './args';

export interface LoadPerson {
  userName: string;
  accounts: number;
  large: boolean;
}

/** A small deterministic generator, so the same options give the same people. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function loadOrganisation(options: LoadOptions): { directory: Directory; people: LoadPerson[] } {
  const poolSize = Math.max(options.largeAccounts, options.maxAccounts);
  // One template user holds every account's roles (1–3 each); each person gets a slice of them.
  const template = generateOrganisation({ accounts: poolSize, rolesPerAccount: { min: 1, max: 3 }, seed: options.seed, users: ['template'] });
  const rolesOf = new Map<string, string[]>();
  for (const assignment of template.assignments) rolesOf.set(assignment.accountId, [...(rolesOf.get(assignment.accountId) ?? []), assignment.roleName]);

  const random = seeded(options.seed);
  const people: LoadPerson[] = [];
  const assignments: DirectoryAssignment[] = [];
  // The large organisations are spread through the arrivals, not all at the start or the end.
  const largeEvery = options.largePeople > 0 ? Math.floor(options.people / options.largePeople) : Infinity;
  for (let index = 0; index < options.people; index += 1) {
    const large = people.filter((person) => person.large).length < options.largePeople && index % largeEvery === Math.floor(largeEvery / 2);
    const accounts = large ? options.largeAccounts : options.minAccounts + Math.floor(random() * (options.maxAccounts - options.minAccounts + 1));
    const userName = `person-${String(index + 1).padStart(4, '0')}`;
    const start = Math.floor(random() * poolSize);
    for (let offset = 0; offset < accounts; offset += 1) {
      const account = template.accounts[(start + offset) % poolSize]!;
      for (const roleName of rolesOf.get(account.accountId) ?? []) assignments.push({ userName, accountId: account.accountId, roleName });
    }
    people.push({ userName, accounts, large });
  }
  return {
    directory: {
      ...template,
      instanceName: 'Load organisation',
      users: people.map((person) => ({ userName: person.userName, displayName: person.userName, email: `${person.userName}@example.com` })),
      assignments,
    },
    people,
  };
}
