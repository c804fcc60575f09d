/** The `sensitivity` kind's registration (kinds/index.ts): spec and headline now, the rest on first use. */
import { entry } from '../kind-entry.js';
import { sensitivitySpec } from './spec.js';
import { sensitivitySummary } from './summary.js';

export const kindEntry = entry({ spec: sensitivitySpec, summary: sensitivitySummary, load: async () => (await import('./kind.js')).sensitivityKind });
