/**
 * Number formatting for report tables: 4 significant digits, exponent notation outside
 * [1e-3, 1e5), 'n/a' for missing or non-finite values. One formatter so tests can rely on it.
 */
const MISSING = 'n/a';

export function formatNumber(v: unknown, digits = 4): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return MISSING;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return `${m}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(digits)));
}

/** Integers (counts, parameter numbers) exactly, without rounding to significant digits. */
export function formatCount(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v)) : MISSING;
}

/** `mean ± std` (std omitted when missing). */
export function formatMeanStd(mean: unknown, std: unknown, digits = 4): string {
  const m = formatNumber(mean, digits);
  return typeof std === 'number' && Number.isFinite(std) ? `${m} ± ${formatNumber(std, digits >= 3 ? digits - 1 : digits)}` : m;
}

/** p-values with 3 significant digits, starred below 0.05. */
export function formatPValue(p: unknown): string {
  if (typeof p !== 'number' || !Number.isFinite(p)) return MISSING;
  const s = formatNumber(p, 3);
  return p < 0.05 ? `${s}*` : s;
}

export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(100 * fraction).toFixed(digits)}%` : MISSING;
}

export function formatSeconds(s: unknown): string {
  if (typeof s !== 'number' || !Number.isFinite(s)) return MISSING;
  if (s < 1) return `${formatNumber(s * 1000, 3)} ms`;
  if (s < 120) return `${formatNumber(s, 3)} s`;
  if (s < 7200) return `${formatNumber(s / 60, 3)} min`;
  return `${formatNumber(s / 3600, 3)} h`;
}
