/** Tables of the results: padded text for the terminal, markdown for the README. */

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  /** Lines printed under the table. */
  notes?: string[];
}

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (value < 1000) return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 100_000 ? 2 : 1)} s`;
}

export function ratio(numerator: number | undefined, denominator: number | undefined): string {
  if (numerator === undefined || denominator === undefined || !Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return '—';
  const r = numerator / denominator;
  return `${r < 10 ? r.toFixed(2) : r.toFixed(1)}×`;
}

export function count(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString('en-US');
}

export function kb(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${(bytes / 1024).toFixed(1)} KB`;
}

export function yesNo(met: boolean | undefined): string {
  return met === undefined ? 'n/a' : met ? 'yes' : 'NO';
}

/** Display width, counting each code point as one column (the tables use ×, ≤ and — only). */
function width(text: string): number {
  return [...text].length;
}

/** A number with its unit, or several joined by " / " (e.g. "1,000 / 1,000"), or a dash. */
function isNumeric(cell: string): boolean {
  return cell.split(' / ').every((part) => /^[\d,.]+( ?(ms|s|KB|×))?$|^—$/.test(part));
}

export function renderText(table: Table): string {
  const widths = table.headers.map((header, i) => Math.max(width(header), ...table.rows.map((row) => width(row[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
        return i > 0 && isNumeric(cell) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  const out = [table.title, line(table.headers), widths.map((w) => '─'.repeat(w)).join('  '), ...table.rows.map(line)];
  for (const note of table.notes ?? []) out.push(`  ${note}`);
  return out.join('\n');
}

function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

export function renderMarkdown(table: Table): string {
  // Right-align the columns that hold only numbers.
  const numeric = table.headers.map((_, i) => i > 0 && table.rows.every((row) => isNumeric(row[i] ?? '')));
  const out = [`**${table.title}**`, '', `| ${table.headers.map(escapeCell).join(' | ')} |`, `|${numeric.map((right) => (right ? '---:' : '---')).join('|')}|`];
  for (const row of table.rows) out.push(`| ${row.map(escapeCell).join(' | ')} |`);
  if (table.notes && table.notes.length > 0) {
    out.push('');
    for (const note of table.notes) out.push(`${note}  `);
  }
  return out.join('\n');
}
