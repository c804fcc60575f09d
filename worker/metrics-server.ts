/**
 * `/metrics` over HTTP for a worker process: Plume's prom-client registry followed by the Temporal
 * SDK's own exporter output. Binds 127.0.0.1 unless told otherwise. Also the process's probes for
 * Kubernetes: `/healthz` (the process serves HTTP: liveness) and `/readyz` (the worker polls its
 * queue: readiness; 503 with the reason otherwise).
 */
import http from 'node:http';
import { registry } from '../infra/metrics.js';
import { temporalSdkMetricsUrl } from './temporal-runtime.js';

export async function metricsText(): Promise<string> {
  let text = await registry.metrics();
  const sdk = temporalSdkMetricsUrl();
  if (sdk) {
    try {
      const res = await fetch(sdk, { signal: AbortSignal.timeout(2000) });
      if (res.ok) text += `\n${await res.text()}`;
    } catch {
      /* SDK exporter not reachable: serve our own metrics alone */
    }
  }
  return text;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Readiness of the process: null when ready, else why not. */
export type ReadinessCheck = () => string | null;

export function startMetricsServer(port = 0, host = '127.0.0.1', readiness: ReadinessCheck = () => null): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const route = req.url?.split('?')[0];
    if (req.method === 'GET' && route === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (req.method === 'GET' && route === '/readyz') {
      const why = readiness();
      res.writeHead(why === null ? 200 : 503, { 'content-type': 'text/plain' }).end(why === null ? 'ready\n' : `not ready: ${why}\n`);
    } else if (req.method === 'GET' && route === '/metrics') {
      metricsText().then(
        (t) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(t);
        },
        () => {
          res.writeHead(500).end('metrics unavailable\n');
        },
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics, /healthz or /readyz\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      resolve({ url: `http://${host}:${p}/metrics`, port: p, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
