/**
 * The per-case side of an inversion run in a worker thread (TF.js), one object per case: the
 * parameterisation `m = G(u)` from the optimisers' unit box to the surrogate's input, the case-2
 * well regularisation, the estimate the forward model re-simulates, and how an estimated field is
 * scored. The case's light facts (inputs, layouts, decoder, ...) are ./cases.ts.
 */
import type { WellRegularisation } from '../../inversion/objective/batch-objective.js';
import { physicalAt, type TnnaRegularisation } from '../../inversion/tnna/tnna.js';
import { decoderParameterisation, kleParameterisation, type Parameterisation } from '../../models/inversion/parameterisation.js';
import type { tf } from '../../models/tf.js';
import { SAND_PERMEABILITY, SHALE_PERMEABILITY } from '../../physics/fields/channelized-field.js';
import { getCase } from '../../physics/groundwater/case-registry.js';
import { case2Kle, case2Layout, case2LogPermeabilityPerturbation, type Case2LayoutName } from '../../physics/groundwater/gaussian-case.js';
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';
import { normalQuantile } from '../../numerics/normal-quantile.js';
import type { SurrogateInputKind } from './cases.js';
import { clampUnit, PROBIT_EPS } from './problem.js';
import { identityParameterisation, type FieldNorm } from './surrogate.js';

interface CaseParameterisation {
  /** u in [0, 1]^dim -> the surrogate's input */
  G: Parameterisation;
  /** u -> the case's field (the well regularisation reads it), when the case has one */
  field: Parameterisation | null;
  /** what the caller disposes after the run */
  owned: Parameterisation[];
}

interface CaseEstimate {
  /** parameters given to the forward model */
  physical: Float64Array;
  /** the estimated field (null: the case estimates parameters only) */
  field: Float32Array | null;
  fieldQuantity?: string;
}

export interface CaseInversion {
  parameterisation(input: {
    inputKind: SurrogateInputKind;
    fieldNorm: FieldNorm | null;
    decoder: () => Promise<tf.LayersModel>;
  }): Promise<CaseParameterisation>;
  /** J's term comparing the field at the layout's wells with the true one (null: the case has none). */
  wellRegularisation:
    | ((input: { layout: Case2LayoutName | null; trueField: Float32Array | null; field: Parameterisation; weight: number; reduction: 'mean' | 'sum' }) => {
        batch: WellRegularisation;
        tnna: TnnaRegularisation;
      })
    | null;
  estimate(u: Float64Array, G: Parameterisation): CaseEstimate;
  /** Scores of an estimated field against the true one (fieldRmse in ln k). */
  scoreField(estimate: Float32Array, truth: Float32Array): { fieldRmse: number; faciesAccuracy?: number };
}

function rmse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
}

const parametersOnly =
  (name: CaseName) =>
  (u: Float64Array): CaseEstimate => ({ physical: getCase(name).sampling.fromUnit(u, PROBIT_EPS), field: null });

const CASES: Record<CaseName, CaseInversion> = {
  case1: {
    parameterisation: () => {
      const G = identityParameterisation(getCase('case1').paramCount);
      return Promise.resolve({ G, field: null, owned: [] });
    },
    wellRegularisation: null,
    estimate: parametersOnly('case1'),
    scoreField: () => {
      throw new Error('case 1 estimates no field');
    },
  },
  case2: {
    parameterisation: ({ inputKind, fieldNorm }) => {
      // The KLE map onto the surrogate's normalised Y image.
      const basis = case2Kle();
      const { grid } = getCase('case2');
      const normalise = fieldNorm ?? { min: -1, max: 1 };
      const kle = kleParameterisation({ basis: basis.basis, terms: basis.terms, ny: grid.ny, nx: grid.nx, mean: 0, normalise, layout: 'image' });
      const G = inputKind === 'field' ? kle : identityParameterisation(getCase('case2').paramCount);
      return Promise.resolve({ G, field: kle, owned: [kle] });
    },
    // Y(u) at the layout's wells vs the true Y there.
    wellRegularisation: ({ layout, trueField, field, weight, reduction }) => {
      if (!trueField) throw new Error('case 2 well regularisation needs the true field (the dataset stores it)');
      const c = getCase('case2');
      const wells = case2Layout(layout ?? 'S-5');
      const cells = Array.from(wells, (p) => c.points[p].cell);
      const known = Float64Array.from(cells, (cell) => trueField[cell]);
      const basis = case2Kle();
      const N = c.grid.nx * c.grid.ny;
      const cols = cells.map((cell) => Float64Array.from({ length: basis.terms }, (_, k) => basis.basis[k * N + cell]));
      const sigma = reduction === 'mean' ? 2 * cells.length : 1;
      return {
        batch: {
          predict: (u) => {
            const xi = Float64Array.from(u, (v) => normalQuantile(clampUnit(v)));
            return Float64Array.from(cols, (col) => col.reduce((s, b, k) => s + b * xi[k], 0));
          },
          known,
          weight,
          sigma,
        },
        tnna: { predict: physicalAt(field, cells), known, weight, sigma },
      };
    },
    estimate: (u) => {
      const physical = getCase('case2').sampling.fromUnit(u, PROBIT_EPS);
      return { physical, field: Float32Array.from(case2LogPermeabilityPerturbation(physical)), fieldQuantity: 'Y = ln k - ln 2e-13' };
    },
    scoreField: (est, truth) => ({ fieldRmse: rmse(est, truth) }),
  },
  case3: {
    parameterisation: async ({ decoder }) => ({ G: decoderParameterisation({ decoder: await decoder() }), field: null, owned: [] }),
    wellRegularisation: null,
    estimate: (u, G) => {
      const soft = G.toSurrogateInput(u, 1);
      const physical = Float64Array.from(soft, (v) => Math.min(1, Math.max(0, v)));
      return { physical, field: Float32Array.from(physical), fieldQuantity: 'channel facies probability (decoder output)' };
    },
    scoreField: (est, truth) => {
      const span = Math.log(SAND_PERMEABILITY) - Math.log(SHALE_PERMEABILITY);
      let right = 0;
      for (let i = 0; i < est.length; i++) if (est[i] > 0.5 === truth[i] > 0.5) right++;
      return { fieldRmse: span * rmse(est, truth), faciesAccuracy: right / est.length };
    },
  },
};

/** The worker-thread inversion behaviour of a groundwater case. */
export function caseInversion(name: CaseName): CaseInversion {
  return CASES[name];
}
