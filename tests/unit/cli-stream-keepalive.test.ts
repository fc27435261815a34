import { afterEach, describe, expect, it, vi } from 'vitest';

import { readListingStream } from '@/components/accounts/listing-stream';
import { ndjsonListing } from '@/lib/server/http/ndjson';
import type { ListingEvent } from '@/lib/shared/accounts';

/**
 * The listing's NDJSON answer (browser and terminal alike) says something at least every five
 * seconds while the listing waits, so a reader that gives up after a silence (the `gatehouse` command,
 * after 15 s) tells a slow listing from a portal that stopped answering; what it says is an empty
 * line, which every reader of the listing skips.
 */
describe('the listing stream while a listing waits', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('sends an empty line every 5 s until the listing is done, and nothing after', async () => {
    vi.useFakeTimers();
    let emit: ((event: ListingEvent) => void) | undefined;
    const response = ndjsonListing(async (listener) => {
      emit = listener;
      return () => undefined;
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const read = async () => decoder.decode((await reader.read()).value);

    await vi.advanceTimersByTimeAsync(0);
    emit?.({ type: 'accounts', accounts: [] });
    expect(await read()).toBe('{"type":"accounts","accounts":[]}\n');
    // Identity Center keeps the listing waiting: 12 s without an event.
    await vi.advanceTimersByTimeAsync(12_000);
    expect(await read()).toBe('\n');
    expect(await read()).toBe('\n');
    emit?.({ type: 'done', accounts: 0, roles: 0, failedAccounts: 0 });
    expect(await read()).toBe('{"type":"done","accounts":0,"roles":0,"failedAccounts":0}\n');
    expect((await reader.read()).done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops its keep-alive when the reader goes away', async () => {
    vi.useFakeTimers();
    const response = ndjsonListing(async () => () => undefined);
    const reader = response.body!.getReader();
    await vi.advanceTimersByTimeAsync(0);
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is skipped by the page\'s reader of the stream', async () => {
    const body = '\n{"type":"accounts-complete","total":0}\n\n\n{"type":"done","accounts":0,"roles":0,"failedAccounts":0}\n';
    vi.stubGlobal('fetch', async () => new Response(body, { headers: { 'content-type': 'application/x-ndjson' } }));
    const events: ListingEvent[] = [];
    await readListingStream('stream', undefined, new AbortController().signal, (batch) => events.push(...batch));
    expect(events.map((event) => event.type)).toEqual(['accounts-complete', 'done']);
  });
});
