/** Paper names for architecture ids and metric keys used in report tables and legends. */
const ARCH_NAMES: Record<string, string> = {
  interpolation: 'Interpolation',
  simple_mlp: 'Simple MLP',
  optimal_mlp: 'Optimal MLP',
  mlp_eca: 'MLP+ECA',
  stamnet_upscale: 'STAMNet-Upscale',
  stamnet_upsample: 'STAMNet-Upsample',
  // Forward-model surrogates of the inversion paper, in its ranking order.
  resnet: 'ResNet',
  lenet: 'LeNet',
  fcdnn: 'FC-DNN',
  msvr: 'MSVR',
  // Plume's map-predicting surrogate for field inputs (not in the paper).
  unet: 'U-Net',
};

const METRIC_NAMES: Record<string, string> = {
  mse: 'MSE',
  mae: 'MAE',
  rmse: 'RMSE',
  r2_whole: 'R² (whole tensor)',
  r2_mean_series_median: 'R² (mean series, median)',
  r2_mean_series_mean: 'R² (mean series, mean)',
  inference_ms_per_sample: 'inference ms / sample',
  train_seconds: 'training time (s)',
  params_count: 'parameters',
};

export const archName = (arch: string): string => ARCH_NAMES[arch] ?? arch;

export const metricName = (key: string): string => METRIC_NAMES[key] ?? key;

/** Order architectures as the paper does (interpolation first), unknown ones after, alphabetically. */
export function sortArchs(archs: Iterable<string>): string[] {
  const known = Object.keys(ARCH_NAMES);
  const rank = (a: string) => (known.includes(a) ? known.indexOf(a) : known.length);
  return [...new Set(archs)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
