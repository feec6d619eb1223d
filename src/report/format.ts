/** Number and time formatting shared by every renderer, so all reports read the same. */

/** 0.8183 -> "81.8%". */
export function pct(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** Milliseconds with a precision that suits their size: "0.42 ms", "38.1 ms", "5,210 ms". */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value >= 1000) return `${Math.round(value).toLocaleString('en-US')} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Simulated seconds since 00:00 -> "HH:MM" (hours keep counting past 24 so time stays monotonic). */
export function hhmm(simS: number): string {
  const totalMin = Math.floor(simS / 60 + 1e-9);
  const h = Math.floor(totalMin / 60);
  const m = totalMin - h * 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A threshold's observed value, in the unit its expression implies. */
export function thresholdValue(expr: string, value: number): string {
  const head = expr.trim().toLowerCase();
  if (head.startsWith('rate')) return pct(value, 2);
  if (head.startsWith('count')) return int(value);
  return ms(value);
}

/** Seconds -> "11m 0s" / "42.5s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h}h ${m}m ${s}s` : `${m}m ${s}s`;
}

/** Left-aligned first column, right-aligned numbers: a plain-text table for terminals. */
export function textTable(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows
    .map((row) => indent + row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** "barito-utara-pilkada-2024 · election-day · pilkada-2024 · scale 1 · seed 1 · 60x" */
export function runLine(meta: {
  scenario: string; executor: string; election: string; scale: number; seed: number; time_scale: number;
  segment: { index: number; count: number } | null; merged_from?: number;
}): string {
  const parts = [meta.scenario, meta.executor, meta.election, `scale ${meta.scale}`, `seed ${meta.seed}`];
  if (meta.executor === 'election-day') parts.push(`${meta.time_scale}x time`);
  if (meta.segment) parts.push(`segment ${meta.segment.index}/${meta.segment.count}`);
  if (meta.merged_from) parts.push(`merged from ${meta.merged_from}`);
  return parts.join(' · ');
}
