'use client';

/**
 * Saves `text` as a file without asking the server again (the same credentials, not new ones).
 * The object URL is revoked once the browser has taken the file. The type is a generic binary
 * one on purpose: for text/plain, browsers append `.txt` to names without an extension, and
 * `credentials` or `config` must keep their names.
 */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
