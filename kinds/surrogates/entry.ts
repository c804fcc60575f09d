/** The `surrogates` kind's registration (kinds/index.ts): spec and headline now, the rest on first use. */
import { entry } from '../kind-entry.js';
import { surrogatesSpec } from './spec.js';
import { surrogatesSummary } from './summary.js';

export const kindEntry = entry({ spec: surrogatesSpec, summary: surrogatesSummary, load: async () => (await import('./kind.js')).surrogatesKind });
