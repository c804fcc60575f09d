/** The artifact store cannot be written: which location, why, and what to do (EROFS, EACCES, ENOSPC...). */

/** Error codes of a store that cannot be written, with what each means. */
const WRITE_FAILURES: Record<string, string> = {
  EROFS: 'is on a read-only file system',
  EACCES: 'is not writable by this user',
  EPERM: 'is not writable by this user',
  ENOSPC: 'is out of disk space',
  EDQUOT: 'is over its disk quota',
  ENOTDIR: 'lies under a file, not a folder',
  AccessDenied: 'refuses writes with these credentials',
  NoSuchBucket: 'names a bucket that does not exist',
};

export function isWriteFailureCode(code: string): boolean {
  return code in WRITE_FAILURES;
}

/** The code of a Node.js system error (or of an AWS SDK error, by name); EIO when there is none. */
export function errorCode(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown } | null;
  if (typeof err?.code === 'string') return err.code;
  if (typeof err?.code === 'number') return String(err.code);
  return typeof err?.name === 'string' && err.name in WRITE_FAILURES ? err.name : 'EIO';
}

export class StoreWriteError extends Error {
  constructor(
    readonly location: string,
    readonly file: string,
    readonly code: string,
    cause: unknown,
  ) {
    const why = WRITE_FAILURES[code] ?? `cannot be written (${code})`;
    const fix =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free space there or point PLUME_ARTIFACTS at a larger volume'
        : location.startsWith('s3://')
          ? 'check the bucket, its credentials (AWS_* variables) and PLUME_ARTIFACTS'
          : 'point PLUME_ARTIFACTS at a writable folder (or fix its permissions / mount it read-write)';
    super(`artifact store ${location} ${why} (${code} writing ${file}): ${fix}`, { cause });
    this.name = 'StoreWriteError';
  }
}
