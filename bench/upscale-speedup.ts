/**
 * The STAMNet paper's speed-up claim ("an MLP gives a 30x speed-up over the multiphysics
 * simulator"), measured on a preset the way an upscale campaign would run it, in one process:
 *   (a) inference alone vs a 10x simulation, and
 *   (b) the whole surrogate pipeline (1x simulation + inference) vs a 10x simulation,
 * per scenario, by wall time and by CPU time (the simulator uses one core; TensorFlow's intra-op
 * pool may use all of them, so the CPU-time ratio is the per-core comparison).
 *
 * Inference runs the three models an upscale campaign runs per scenario (B, ED and Cr: same
 * architecture, one per variable) on the backend `auto` places it on (the probe the upscale stage
 * uses). Inference cost does not depend on the weights' values, so the models are built untrained
 * from a seed at the width the preset's train spec uses; the normalisation is fitted on the 1x
 * fields. The simulations are the dataset kind's: the preset's upscaling schedule, heterogeneous
 * permeability, the default scenario.
 *
 *   npx tsx bench/upscale-speedup.ts                                # medium and paper, optimal MLP
 *   npx tsx bench/upscale-speedup.ts --presets medium --archs optimal_mlp,stamnet_upscale
 *
 * Widths: medium uses examples/train-medium.yaml's widthMultipliers [2, 8, 2]; paper the paper's
 * 10W-40W-10W (36.4 M weights at 114 outputs: ~0.8 TFLOP per sample and variable, minutes per
 * scenario on a CPU). The paper preset's 10x simulation takes ~1.5 min.
 */
import { parseArgs } from 'node:util';
import { initBackend } from '../models/backend.js';
import { choosePredictBackend, predict, type TrainedModel } from '../models/predict.js';
import { fitMinMax } from '../models/training/normalisation.js';
import { buildModel, UPSCALING_ARCHS, type UpscalingArch } from '../models/upscaling/registry.js';
import { defaultScenario } from '../physics/bioremediation/parameters.js';
import { PRESETS, type PresetName } from '../physics/bioremediation/presets.js';
import { simulateBioremediation } from '../physics/bioremediation/simulate.js';
import { printTable } from './text-table.js';
import { timed } from './timed-call.js';

const { values } = parseArgs({
  options: {
    presets: { type: 'string', default: 'medium,paper' },
    archs: { type: 'string', default: 'optimal_mlp' },
    samples: { type: 'string', default: '4' },
  },
});
const presets = values.presets.split(',').map((p) => p.trim()) as PresetName[];
for (const p of presets) if (!(p in PRESETS)) throw new Error(`--presets: unknown preset '${p}'; use any of ${Object.keys(PRESETS).join(', ')}`);
const archs = values.archs.split(',').map((a) => a.trim()) as UpscalingArch[];
for (const a of archs) if (!UPSCALING_ARCHS.includes(a)) throw new Error(`--archs: unknown architecture '${a}'; use any of ${UPSCALING_ARCHS.join(', ')}`);
const samplesWanted = Number(values.samples);
if (!Number.isInteger(samplesWanted) || samplesWanted < 1)
  throw new Error(`--samples must be a positive integer (inference samples per preset), got ${values.samples}`);

/** Hidden-width multipliers per preset: what its train spec uses (medium) or the paper's (paper). */
const WIDTHS: Partial<Record<PresetName, number[]>> = { medium: [2, 8, 2] };
const VARIABLES = ['B', 'ED', 'Cr'] as const;

const backend = await initBackend('auto');
console.log(`backends started: ${backend.available.join(', ')}`);
const rows: string[][] = [];
for (const presetName of presets) {
  const preset = PRESETS[presetName];
  const scenario = defaultScenario();
  const common = { preset, seed: 7, schedule: 'upscaling' as const, permeability: 'heterogeneous' as const, outputVariables: VARIABLES };
  process.stderr.write(`[${presetName}] simulating 1x ...\n`);
  const sim1x = timed(() => simulateBioremediation(scenario, { ...common, scale: 1 }));
  process.stderr.write(`[${presetName}] 1x ${sim1x.wall.toFixed(2)} s; simulating 10x ...\n`);
  const sim10x = timed(() => simulateBioremediation(scenario, { ...common, scale: preset.scaleFactor }));
  process.stderr.write(`[${presetName}] 10x ${sim10x.wall.toFixed(2)} s\n`);
  const { nx: w, ny: h } = preset.grid;
  const t = preset.upscaling.nOutputs;
  const per = t * h * w;
  for (const arch of archs) {
    const samples = presetName === 'paper' ? Math.min(samplesWanted, 2) : samplesWanted;
    const batch = samples;
    let inferWall = 0;
    let inferCpu = 0;
    let placed = '';
    for (const variable of VARIABLES) {
      const field = sim1x.value.fields[variable];
      const x = new Float32Array(samples * per);
      for (let s = 0; s < samples; s++) x.set(field.subarray(0, per), s * per);
      const trained: TrainedModel = {
        model: buildModel(arch, { t, h, w }, { scale: preset.scaleFactor, seed: 1, ...(WIDTHS[presetName] ? { hiddenMultipliers: WIDTHS[presetName] } : {}) }),
        normalisation: fitMinMax(x, [samples, t, h, w]),
      };
      const choice = await choosePredictBackend(trained, batch);
      placed = `${choice.backend} (${choice.reason})`;
      predict(trained, x.subarray(0, per), { batchSize: 1 }); // warm-up: kernels, first allocation
      const r = timed(() => predict(trained, x, { batchSize: batch }));
      inferWall += r.wall / samples;
      inferCpu += r.cpu / samples;
      trained.model.dispose();
      process.stderr.write(`[${presetName}] ${arch} ${variable}: ${((r.wall / samples) * 1000).toFixed(1)} ms per scenario on ${choice.backend}\n`);
    }
    rows.push([
      presetName,
      arch,
      `${t}x${h}x${w} -> x${preset.scaleFactor}`,
      sim1x.wall.toFixed(2),
      sim10x.wall.toFixed(2),
      inferWall.toFixed(3),
      (sim10x.wall / inferWall).toFixed(1),
      (sim10x.wall / (sim1x.wall + inferWall)).toFixed(2),
      (sim10x.cpu / inferCpu).toFixed(1),
      (sim10x.cpu / (sim1x.cpu + inferCpu)).toFixed(2),
      placed,
    ]);
  }
}

printTable([
  [
    'preset',
    'arch',
    'shape (t x h x w)',
    '1x sim s',
    '10x sim s',
    'inference s (B+ED+Cr)',
    '(a) 10x / inference, wall',
    '(b) 10x / (1x + inference), wall',
    '(a) by CPU s',
    '(b) by CPU s',
    'inference backend',
  ],
  ...rows,
]);
console.log(
  'Paper: 30x (an MLP against the PFLOTRAN multiphysics simulator). (a) is the figure comparable to it; (b) is what a user gains, since every upscaled scenario still needs its 1x simulation.',
);
