/** The `dataset` kind's registration (kinds/index.ts): spec and headline now, the rest on first use. */
import { entry } from '../kind-entry.js';
import { datasetSpec } from './spec.js';
import { datasetSummary } from './summary.js';

export const kindEntry = entry({ spec: datasetSpec, summary: datasetSummary, load: async () => (await import('./kind.js')).datasetKind });
