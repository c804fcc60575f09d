/**
 * Import boundaries (issue 13), checked by `npm test` (infra/test.sh: `npm run deps:check`).
 *
 * The folder list is a stack of layers, lowest first; a folder may import at run time only from
 * folders below it, so there are no folder-level import cycles. `import type` may point upwards
 * (types are erased), except where a rule below says otherwise.
 */
const LAYERS = [
  'numerics',
  'artifacts',
  'physics',
  'models',
  'inversion',
  'infra',
  'db',
  'compute',
  'engine',
  'report',
  'pipeline',
  'kinds',
  'activities',
  'workflows',
  'worker',
  'dashboard',
  'cli',
  'bin',
  'bench',
];
const SCIENCE = ['numerics', 'artifacts', 'physics', 'models', 'inversion'];
const NOT_SCIENCE = LAYERS.filter((f) => !SCIENCE.includes(f));
const under = (folders) => `^(${folders.join('|')})/`;

module.exports = {
  forbidden: [
    ...LAYERS.map((folder, i) => ({
      name: `layer-${folder}`,
      comment: `${folder}/ may import at run time only from the layers below it (${LAYERS.slice(0, i).join(', ') || 'none'}): no folder-level cycles. Move the code down, or pass it in.`,
      severity: 'error',
      from: { path: `^${folder}/` },
      to: { path: under(LAYERS.slice(i + 1)), dependencyTypesNot: ['type-only'] },
    })),
    {
      name: 'science-is-pure',
      comment: 'numerics, artifacts, physics, models and inversion import nothing (not even types) from orchestration, storage or UI.',
      severity: 'error',
      from: { path: under(SCIENCE) },
      to: { path: under(NOT_SCIENCE) },
    },
    {
      name: 'models-not-inversion',
      comment: 'models/ imports nothing from inversion/.',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^inversion/' },
    },
    {
      name: 'tasks-are-compute-only',
      comment: 'compute tasks (kinds/*/tasks/) run in worker threads: no handler, no database, no Temporal.',
      severity: 'error',
      from: { path: '^kinds/[^/]+/tasks/' },
      to: { path: ['^kinds/[^/]+/(handler|kind)\\.ts$', '^kinds/index\\.ts$', '^db/', '@temporalio/'] },
    },
    {
      name: 'workflows-are-deterministic',
      comment: 'workflows/ imports only @temporalio/workflow, other workflows, and types (from activities/).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { pathNot: ['^workflows/', '@temporalio/workflow'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'db-no-ui',
      comment: 'db/ never imports cli/, dashboard/ or report/ (not even types).',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(cli|dashboard|report)/' },
    },
    {
      name: 'no-module-cycles',
      comment: 'No run-time import cycles between modules either.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage|test-results|\\.plume|dashboard/public)/' },
    includeOnly: { path: [under(LAYERS), 'node_modules/@temporalio/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
