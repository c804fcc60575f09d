/**
 * Command-line options of the benchmark scripts (`--name value` and bare `--flag`), one reader for
 * all of them. A number option that does not parse stops the bench with the option named.
 */
function raw(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  return value !== undefined && !value.startsWith('--') ? value : undefined;
}

/** `--name <text>`, or the fallback when absent. */
export function argText(name: string, fallback: string): string {
  return raw(name) ?? fallback;
}

/** `--name <number>`, or the fallback when absent. */
export function argNumber(name: string, fallback: number): number {
  const text = raw(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got "${text}" (e.g. --${name} ${fallback})`);
  return value;
}

/** Bare `--name` given. */
export function argFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
