import 'server-only';

import type { ListingEvent } from '@/lib/shared/accounts';

import { NO_STORE } from './api';

/**
 * While a listing waits (on Identity Center, on the rate limit), an empty line this often: a reader
 * that gives up after a silence (the `gatehouse` command, after 15 s) tells a slow listing from a
 * portal that stopped answering. Every reader skips empty lines.
 */
const KEEP_ALIVE_MS = 5_000;

/**
 * A listing as newline-delimited JSON: each event is written the moment it happens, so the page
 * shows accounts as pages arrive. The listing itself goes on if the browser goes away.
 */
export function ndjsonListing(start: (listener: (event: ListingEvent) => void) => Promise<() => void>): Response {
  const encoder = new TextEncoder();
  let stop: (() => void) | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      keepAlive = setInterval(() => {
        try {
          if (!closed) controller.enqueue(encoder.encode('\n'));
        } catch {
          // The reader went away: nothing more to keep alive.
          clearInterval(keepAlive);
        }
      }, KEEP_ALIVE_MS);
      try {
        stop = await start((event) => {
          if (closed) return;
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
          if (event.type === 'done') {
            closed = true;
            clearInterval(keepAlive);
            controller.close();
          }
        });
        if (closed) stop();
      } catch {
        if (!closed) {
          closed = true;
          clearInterval(keepAlive);
          controller.enqueue(encoder.encode(`${JSON.stringify({ type: 'error', message: 'The listing could not start.' })}\n`));
          controller.close();
        }
      }
    },
    cancel() {
      clearInterval(keepAlive);
      stop?.();
    },
  });
  return new Response(body, {
    headers: { ...NO_STORE, 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Accel-Buffering': 'no' },
  });
}
