/**
 * What inversion and surrogates campaigns do differently per groundwater case, one object per
 * case: code asks the case (`inversionCase(spec.case).needsDecoder`) instead of comparing ids.
 * Light on purpose (no TF.js, no handler): the specs, the handlers and the compute tasks read it.
 * The physics side of a case (grid, forward model, sampling) is its `GroundwaterCase`
 * (physics/groundwater/); the TF.js side in the worker threads is ./case-inversion.ts.
 */
import type { CaseName } from '../../physics/groundwater/groundwater-case.js';
import type { ConcentrationScaling } from './spec.js';

export type SurrogateInputKind = 'parameters' | 'field';

export interface InversionCase {
  name: CaseName;
  /** What a surrogate of this case can read, the default (the paper's) first. */
  surrogateInputs: readonly SurrogateInputKind[];
  /** Why the other input is refused, and what to write instead (spec message). */
  unsupportedInput: string;
  /** Default min-max scaling of the concentrations (see `observationBounds` in ./problem.ts). */
  concentrationScaling: ConcentrationScaling;
  /** Whether campaigns vary the monitoring layout observed for calibration (spec `layouts`). */
  layouts: boolean;
  /** Whether the true ln k at the layout's wells can regularise J (spec `wellRegularisation`). */
  wellRegularisation: boolean;
  /** Whether the inversion runs through a trained generative decoder (spec `decoder`). */
  needsDecoder: boolean;
  /** Whether the dataset must store each sample's field (true fields score the estimates). */
  needsFields: boolean;
  /** Whether field images are min-max normalised on the training fields (else used as stored). */
  normalisesField: boolean;
  /** Whether variant labels always name the noise level, even with a single one. */
  labelsNoise: boolean;
}

const CASES: Record<CaseName, InversionCase> = {
  // 8 zone permeabilities + C0, uniform: the surrogate reads the normalised parameters.
  case1: {
    name: 'case1',
    surrogateInputs: ['parameters'],
    unsupportedInput: "case 1 has no field input: use 'parameters' (or omit it)",
    concentrationScaling: 'component',
    layouts: false,
    wellRegularisation: false,
    needsDecoder: false,
    needsFields: false,
    normalisesField: false,
    labelsNoise: false,
  },
  // 100 KL coefficients of a Gaussian ln k field: the surrogate reads the Y image (or u = Phi(xi)).
  case2: {
    name: 'case2',
    surrogateInputs: ['field', 'parameters'],
    unsupportedInput: '',
    concentrationScaling: 'group',
    layouts: true,
    wellRegularisation: true,
    needsDecoder: false,
    needsFields: true,
    normalisesField: true,
    labelsNoise: false,
  },
  // Channelized facies fields: the surrogate reads the facies image, inverted through a decoder.
  case3: {
    name: 'case3',
    surrogateInputs: ['field'],
    unsupportedInput: "case 3's surrogate reads the facies field: use input 'field' (or omit it)",
    concentrationScaling: 'group',
    layouts: false,
    wellRegularisation: false,
    needsDecoder: true,
    needsFields: true,
    normalisesField: false,
    labelsNoise: true,
  },
};

/** The inversion behaviour of a groundwater case. */
export function inversionCase(name: CaseName): InversionCase {
  const c = CASES[name];
  if (!c) throw new Error(`case must be one of ${Object.keys(CASES).join(', ')}, got ${String(name)}`);
  return c;
}

/** The surrogate input of a campaign: the requested one, else the case's default. */
export function surrogateInputKind(name: CaseName, requested?: SurrogateInputKind): SurrogateInputKind {
  return requested ?? inversionCase(name).surrogateInputs[0];
}
