/** The `train` kind's registration (kinds/index.ts): spec and headline now, the rest on first use. */
import { entry } from '../kind-entry.js';
import { trainSpec } from './spec.js';
import { trainSummary } from './summary.js';

export const kindEntry = entry({ spec: trainSpec, summary: trainSummary, load: async () => (await import('./kind.js')).trainKind });
