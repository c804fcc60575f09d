/** The `inversion` kind's registration (kinds/index.ts): spec and headline now, the rest on first use. */
import { entry } from '../kind-entry.js';
import { inversionSpec } from './spec.js';
import { inversionSummary } from './summary.js';

export const kindEntry = entry({ spec: inversionSpec, summary: inversionSummary, load: async () => (await import('./kind.js')).inversionKind });
