/**
 * Which storage errors are waited out: classification by SQLSTATE and socket code through cause
 * chains, and the activity-side wait loop (retries transient errors, rethrows others and gives up
 * after its window).
 */
import { describe, expect, it } from 'vitest';
import { withStorageOutageRetry } from '../../activities/storage-outage.js';
import { isTransientStorageError } from '../../db/transient-error.js';

const coded = (code: string, cause?: unknown): Error => Object.assign(new Error(code, cause ? { cause } : undefined), { code });

describe('transient storage errors', () => {
  it('classifies by SQLSTATE and client code, through cause chains', () => {
    for (const c of ['08006', '57P01', '53300', '40001', '40P01', 'ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED'])
      expect(isTransientStorageError(coded(c))).toBe(true);
    expect(isTransientStorageError(new Error('Failed query', { cause: coded('ECONNREFUSED') }))).toBe(true);
    expect(isTransientStorageError(new AggregateError([coded('ECONNREFUSED')]))).toBe(true);
    for (const c of ['23505', '42P01', '22P02', 'EROFS']) expect(isTransientStorageError(coded(c))).toBe(false);
    expect(isTransientStorageError(new TypeError('x is undefined'))).toBe(false);
  });

  it('waits out transient errors and returns the result', async () => {
    let calls = 0;
    const v = await withStorageOutageRetry('test', () => (++calls < 4 ? Promise.reject(coded('ECONNREFUSED')) : Promise.resolve(42)), {
      windowMs: 10_000,
      initialDelayMs: 10,
      maxDelayMs: 20,
    });
    expect(v).toBe(42);
    expect(calls).toBe(4);
  });

  it('rethrows other errors at once, and a transient one after the window', async () => {
    let calls = 0;
    await expect(
      withStorageOutageRetry(
        'test',
        () => {
          calls++;
          return Promise.reject(coded('23505'));
        },
        { windowMs: 10_000, initialDelayMs: 10 },
      ),
    ).rejects.toThrow('23505');
    expect(calls).toBe(1);
    await expect(
      withStorageOutageRetry('test', async () => Promise.reject(coded('57P01')), { windowMs: 100, initialDelayMs: 20, maxDelayMs: 20 }),
    ).rejects.toThrow('57P01');
  });
});
