import 'server-only';

import { ERRORS, type GatehouseError, retryAfterOf } from '@/lib/server/core/errors';

import { NO_STORE } from './api';

const escape = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The page a browser gets when a link it followed (the console shortcut) cannot be served: the
 * title and status from the one error table, the error's message, the request id to quote, and the
 * way back to the accounts.
 */
export function htmlError(error: GatehouseError, requestId: string): Response {
  const { status, title } = ERRORS[error.code];
  const retryAfter = retryAfterOf(error);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(title)} · Gatehouse</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5">` +
    `<h1>${escape(title)}</h1><p>${escape(error.message)}</p>` +
    `<p><a href="/accounts">Back to your accounts</a></p>` +
    `<p style="color:#475569;font-size:0.875rem">Request id: <code>${escape(requestId)}</code></p></body></html>`;
  return new Response(html, {
    status,
    headers: { ...NO_STORE, ...(retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }), 'Content-Type': 'text/html; charset=utf-8' },
  });
}
