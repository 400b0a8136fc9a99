/**
 * One benchmark line: a measured value beside its target, and whether the target is met.
 * Results are written to bench/results.json and printed as a table (README shows the latest).
 */
export interface BenchResult {
  id: string;
  what: string;
  /** The numbers that matter for this line (req/s, p99, ratio, bytes …). */
  measured: Record<string, number | string>;
  target: string;
  met: boolean | null; // null: reported only, no target
  notes?: string;
}

export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.id,
    r.what,
    Object.entries(r.measured)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? round(v) : v}`)
      .join(', '),
    r.target,
    r.met === null ? 'reported' : r.met ? 'met' : 'MISSED',
  ]);
  const header = ['id', 'what', 'measured', 'target', 'result'];
  const lines = [header, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  lines.splice(1, 0, `|${header.map(() => '---').join('|')}|`);
  return lines.join('\n');
}

export function round(v: number): number {
  if (Math.abs(v) >= 100) return Math.round(v);
  return Math.round(v * 100) / 100;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
