/**
 * Learning-rate schedules, evaluated at a fractional epoch (epoch + batch/batches), as PyTorch's
 * `CosineAnnealingWarmRestarts.step(epoch + i / iters)` does.
 *
 * - constant
 * - cosine_warm_restarts (SGDR): lr = etaMin + (lr0 - etaMin) (1 + cos(pi Tcur / Ti)) / 2, the i-th
 *   cycle lasting Ti = t0 * tMult^i epochs; optional `decay` multiplies lr0 by decay^floor(epoch)
 *   (restart peaks decaying exponentially).
 * - exponential: lr = lr0 * gamma^floor(epoch) (PyTorch ExponentialLR stepped once per epoch).
 */
export type LrSchedule =
  { kind: 'constant' } | { kind: 'cosine_warm_restarts'; t0: number; tMult?: number; etaMin?: number; decay?: number } | { kind: 'exponential'; gamma: number };

export function validateSchedule(s: LrSchedule): void {
  if (s.kind === 'cosine_warm_restarts') {
    if (!(s.t0 > 0)) throw new Error(`schedule.t0 must be > 0 epochs, got ${s.t0}`);
    if (s.tMult !== undefined && !(Number.isInteger(s.tMult) && s.tMult >= 1)) throw new Error(`schedule.tMult must be an integer >= 1, got ${s.tMult}`);
    if (s.decay !== undefined && !(s.decay > 0 && s.decay <= 1)) throw new Error(`schedule.decay must be in (0, 1], got ${s.decay}`);
  } else if (s.kind === 'exponential') {
    if (!(s.gamma > 0 && s.gamma <= 1)) throw new Error(`schedule.gamma must be in (0, 1], got ${s.gamma}`);
  } else if (s.kind !== 'constant') {
    throw new Error(`schedule.kind must be 'constant', 'cosine_warm_restarts' or 'exponential', got ${(s as { kind: string }).kind}`);
  }
}

export function learningRateAt(schedule: LrSchedule, baseLr: number, epoch: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'exponential':
      return baseLr * Math.pow(schedule.gamma, Math.floor(epoch));
    case 'cosine_warm_restarts': {
      const { t0, tMult = 1, etaMin = 0, decay = 1 } = schedule;
      let tCur: number;
      let ti: number;
      if (tMult === 1) {
        tCur = epoch % t0;
        ti = t0;
      } else {
        const n = Math.floor(Math.log((epoch / t0) * (tMult - 1) + 1) / Math.log(tMult));
        tCur = epoch - (t0 * (Math.pow(tMult, n) - 1)) / (tMult - 1);
        ti = t0 * Math.pow(tMult, n);
      }
      const peak = baseLr * Math.pow(decay, Math.floor(epoch));
      return etaMin + ((peak - etaMin) * (1 + Math.cos((Math.PI * tCur) / ti))) / 2;
    }
  }
}
