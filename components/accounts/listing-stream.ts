'use client';

import { ApiRequestError, portalFetch } from '@/components/api-client';
import type { ListingEvent } from '@/lib/shared/accounts';
import { withInstance } from '@/lib/shared/instances';

/**
 * Reads the listing's newline-delimited JSON (`GET /api/accounts/stream`, `POST /api/accounts/refresh`)
 * and hands over the events of each network chunk together, so a cached listing of thousands of
 * accounts is one update, not thousands. Resolves when the stream ends; rejects with ApiRequestError
 * for an HTTP error or a broken connection (and with the abort reason once `signal` aborts).
 * A 401 sends the person to sign in, as apiRequest does.
 */
export async function readListingStream(
  kind: 'stream' | 'refresh',
  instanceKey: string | undefined,
  signal: AbortSignal,
  onEvents: (events: ListingEvent[]) => void,
): Promise<void> {
  const method = kind === 'refresh' ? 'POST' : 'GET';
  const path = withInstance(kind === 'refresh' ? '/api/accounts/refresh' : '/api/accounts/stream', instanceKey);
  const response = await portalFetch(path, { method, accept: 'application/x-ndjson', signal });
  if (!response.body) throw new ApiRequestError(response.status, 'http_error', 'The portal sent no listing.');

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const events = parseLines(lines);
      if (events.length > 0) onEvents(events);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiRequestError(0, 'network', 'The connection to the portal broke off.');
  } finally {
    reader.releaseLock();
  }
  const last = parseLines([buffered + decoder.decode()]);
  if (last.length > 0) onEvents(last);
}

function parseLines(lines: string[]): ListingEvent[] {
  const events: ListingEvent[] = [];
  for (const line of lines) {
    const text = line.trim();
    if (!text) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
        events.push(value as ListingEvent);
      }
    } catch {
      // A line that is not JSON is skipped; the next ones still count.
    }
  }
  return events;
}
