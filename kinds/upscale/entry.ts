/** The `upscale` kind's registration (kinds/index.ts): spec and headline now, the rest on first use. */
import { entry } from '../kind-entry.js';
import { upscaleSpec } from './spec.js';
import { upscaleSummary } from './summary.js';

export const kindEntry = entry({ spec: upscaleSpec, summary: upscaleSummary, load: async () => (await import('./kind.js')).upscaleKind });
