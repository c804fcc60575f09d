/**
 * `/metrics` over HTTP for a worker process: Plume's prom-client registry followed by the Temporal
 * SDK's own exporter output. Binds 127.0.0.1 unless told otherwise.
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

export function startMetricsServer(port = 0, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
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
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
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
