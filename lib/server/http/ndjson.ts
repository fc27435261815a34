import 'server-only';

import type { ListingEvent } from '@/lib/shared/accounts';

import { NO_STORE } from './api';

/**
 * A listing as newline-delimited JSON: each event is written the moment it happens, so the page
 * shows accounts as pages arrive. The listing itself goes on if the browser goes away.
 */
export function ndjsonListing(start: (listener: (event: ListingEvent) => void) => Promise<() => void>): Response {
  const encoder = new TextEncoder();
  let stop: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      try {
        stop = await start((event) => {
          if (closed) return;
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
          if (event.type === 'done') {
            closed = true;
            controller.close();
          }
        });
        if (closed) stop();
      } catch {
        if (!closed) {
          closed = true;
          controller.enqueue(encoder.encode(`${JSON.stringify({ type: 'error', message: 'The listing could not start.' })}\n`));
          controller.close();
        }
      }
    },
    cancel() {
      stop?.();
    },
  });
  return new Response(body, {
    headers: { ...NO_STORE, 'Content-Type': 'application/x-ndjson; charset=utf-8', 'X-Accel-Buffering': 'no' },
  });
}
