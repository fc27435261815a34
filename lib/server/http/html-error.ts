import 'server-only';

import { NO_STORE } from './api';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** A small page for a browser that followed a link (the console shortcut) and cannot be served. */
export function htmlError(status: number, title: string, message: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · Gatehouse</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>${escape(title)}</h1><p>${escape(message)}</p><p><a href="/accounts">Back to your accounts</a></p></body></html>`;
  return new Response(html, { status, headers: { ...NO_STORE, ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
}
