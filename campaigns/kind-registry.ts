/** Every campaign kind the engine can run. */
import type { CampaignKind, CampaignSpec } from '../kinds/campaign-spec.js';
import type { KindHandler } from '../engine/kind-handler.js';
import { datasetHandler } from '../kinds/dataset/handler.js';
import { inversionHandler } from '../kinds/inversion/handler.js';
import { sensitivityHandler } from '../kinds/sensitivity/handler.js';
import { trainHandler } from '../kinds/train/handler.js';
import { upscaleHandler } from '../kinds/upscale/handler.js';

const handlers: Record<string, KindHandler<never>> = {
  sensitivity: sensitivityHandler as KindHandler<never>,
  dataset: datasetHandler as KindHandler<never>,
  train: trainHandler as KindHandler<never>,
  upscale: upscaleHandler as KindHandler<never>,
  inversion: inversionHandler as KindHandler<never>,
};

export function kindHandler(kind: CampaignKind | string): KindHandler<CampaignSpec> {
  const h = handlers[kind];
  if (!h) throw new Error(`no handler for campaign kind '${kind}'`);
  return h as unknown as KindHandler<CampaignSpec>;
}

export function registerKindHandler(h: KindHandler<never>): void {
  handlers[h.kind] = h;
}
