/**
 * The Helm chart (infra/helm/plume): `helm lint`, then `helm template` with the documented values
 * validated by kubeconform against strict schemas of the core kinds generated offline from
 * k8s.io/api (infra/cluster-tools.sh); the custom resources (KEDA, prometheus-operator) are checked
 * here field by field. helm, kubeconform and the schemas come from `infra/setup.sh --for-tests`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot, toolHome } from '../../../infra/paths.js';

const chart = path.join(projectRoot(), 'infra', 'helm', 'plume');
const bin = (name: string) => path.join(toolHome(), 'bin', name);
const CRDS = ['ScaledObject', 'PodMonitor', 'PrometheusRule'];

/** Where infra/cluster-tools.sh generated the schemas (keyed by the generator's sources). */
function schemaDir(): string {
  const src = path.join(projectRoot(), 'infra', 'kubernetes-schemas');
  const h = createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) h.update(readFileSync(path.join(src, f)));
  const dir = path.join(toolHome(), 'kubernetes-schemas', h.digest('hex').slice(0, 12));
  if (!existsSync(path.join(dir, 'deployment-apps-v1.json'))) throw new Error(`no Kubernetes schemas in ${dir}: run 'bash infra/setup.sh --for-tests'`);
  return dir;
}

function sh(cmd: string, args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (run 'bash infra/setup.sh --for-tests')`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> };

function render(set: string[] = []): { yaml: string; objects: K8sObject[] } {
  const args = ['template', 'plume', chart, '--kube-version', '1.33.0', '--set', 'database.url=postgres://plume:secret@postgres.db:5432/plume'];
  for (const s of set) args.push('--set', s);
  const r = sh(bin('helm'), args);
  expect(r.code, r.err).toBe(0);
  const objects = YAML.parseAllDocuments(r.out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
  return { yaml: r.out, objects };
}

function kubeconform(yaml: string): { code: number | null; out: string } {
  const r = sh(
    bin('kubeconform'),
    ['-strict', '-summary', '-output', 'text', '-skip', CRDS.join(','), '-schema-location', `${schemaDir()}/{{ .ResourceKind }}{{ .KindSuffix }}.json`, '-'],
    yaml,
  );
  return { code: r.code, out: r.out + r.err };
}

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);

describe('Helm chart infra/helm/plume', () => {
  it('passes helm lint', () => {
    const r = sh(bin('helm'), ['lint', chart, '--strict', '--set', 'database.url=postgres://x@db:5432/plume']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('renders both pools, the dashboard, the migrations job and KEDA objects, valid for kubeconform', () => {
    const { yaml, objects } = render([
      'monitoring.podMonitor.enabled=true',
      'monitoring.prometheusRule.enabled=true',
      'apiToken=t0ken',
      'artifacts.s3.accessKeyId=AK',
      'artifacts.s3.secretAccessKey=SK',
    ]);
    const v = kubeconform(yaml);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(/Invalid: 0, Errors: 0/);
    expect(v.out).toMatch(new RegExp(`Valid: ${objects.length - objects.filter((o) => CRDS.includes(o.kind)).length},`));

    expect(
      byKind(objects, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['plume-dashboard', 'plume-worker-cpu', 'plume-worker-gpu']);
    expect(byKind(objects, 'Service').map((s) => s.metadata.name)).toEqual(['plume-dashboard']);
    const [job] = byKind(objects, 'Job');
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const config = byKind(objects, 'ConfigMap')[0] as unknown as { data: Record<string, string> };
    const temporalPort: unknown = expect.stringContaining(':7233');
    expect(config.data).toMatchObject({
      TEMPORAL_ADDRESS: temporalPort,
      TEMPORAL_NAMESPACE: 'default',
      PLUME_ARTIFACTS: 's3://plume-artifacts/plume',
    });
    const secret = byKind(objects, 'Secret')[0] as unknown as { stringData: Record<string, string> };
    expect(Object.keys(secret.stringData).sort()).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'DATABASE_URL', 'PLUME_API_TOKEN']);

    // Workers: probes on the metrics server, non-root, GPU pool asks for a GPU; KEDA owns replicas.
    const gpu = byKind(objects, 'Deployment').find((d) => d.metadata.name === 'plume-worker-gpu')! as unknown as {
      spec: {
        replicas?: number;
        template: {
          spec: {
            securityContext: { runAsNonRoot: boolean };
            containers: {
              args: string[];
              readinessProbe: { httpGet: { path: string } };
              livenessProbe: { httpGet: { path: string } };
              resources: { limits: Record<string, unknown> };
            }[];
          };
        };
      };
    };
    const c = gpu.spec.template.spec.containers[0];
    expect(c.args.slice(0, 3)).toEqual(['worker', '--queue', 'gpu']);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(gpu.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(gpu.spec.replicas).toBeUndefined();

    // One ScaledObject per pool on its Temporal task queue; the GPU pool scales to zero.
    const scaled = byKind(objects, 'ScaledObject') as unknown as {
      metadata: { name: string };
      spec: {
        minReplicaCount: number;
        maxReplicaCount: number;
        scaleTargetRef: { name: string };
        triggers: { type: string; metadata: Record<string, string> }[];
      };
    }[];
    expect(
      scaled.map((s) => [s.metadata.name, s.spec.scaleTargetRef.name, s.spec.minReplicaCount, s.spec.triggers[0].type, s.spec.triggers[0].metadata.taskQueue]),
    ).toEqual([
      ['plume-worker-cpu', 'plume-worker-cpu', 1, 'temporal', 'cpu'],
      ['plume-worker-gpu', 'plume-worker-gpu', 0, 'temporal', 'gpu'],
    ]);
    for (const s of scaled) expect(s.spec.maxReplicaCount).toBeGreaterThan(s.spec.minReplicaCount);

    // The Prometheus rules are infra/prometheus/rules, verbatim.
    const rule = byKind(objects, 'PrometheusRule')[0] as unknown as { spec: { groups: { name: string }[] } };
    const files = ['recording.yml', 'alerts.yml'].flatMap(
      (f) => (YAML.parse(readFileSync(path.join(projectRoot(), 'infra', 'prometheus', 'rules', f), 'utf8')) as { groups: unknown[] }).groups,
    );
    expect(rule.spec.groups).toEqual(files);
    expect(byKind(objects, 'PodMonitor')).toHaveLength(1);
  });

  it('without KEDA sets replicas; a disabled pool renders nothing; kubeconform rejects a broken manifest', () => {
    const { yaml, objects } = render(['keda.enabled=false', 'workers.gpu.enabled=false', 'workers.cpu.replicas=3']);
    expect(kubeconform(yaml).code).toBe(0);
    expect(byKind(objects, 'ScaledObject')).toHaveLength(0);
    const deps = byKind(objects, 'Deployment') as unknown as { metadata: { name: string }; spec: { replicas?: number } }[];
    expect(deps.map((d) => d.metadata.name).sort()).toEqual(['plume-dashboard', 'plume-worker-cpu']);
    expect(deps.find((d) => d.metadata.name === 'plume-worker-cpu')!.spec.replicas).toBe(3);
    // The schemas are strict: a misspelt field or a wrong type fails validation.
    const broken = kubeconform(yaml.replace('containerPort: 9464', 'containerPorts: 9464'));
    expect(broken.code).not.toBe(0);
    expect(broken.out).toMatch(/additional properties 'containerPorts' not allowed/);
    expect(kubeconform(yaml.replace('replicas: 3', 'replicas: "three"')).out).toMatch(/want null or integer|expected integer|want integer/);
  });

  it('refuses to render without a database', () => {
    const r = sh(bin('helm'), ['template', 'plume', chart, '--kube-version', '1.33.0']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('database.url (or database.existingSecret) is required');
  });
});
