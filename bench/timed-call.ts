/** Wall and CPU (user + system) seconds of one synchronous call, for the benchmarks' tables. */
export function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}
