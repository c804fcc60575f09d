/** The three groundwater inversion cases by name (built once, shared). */
import type { CaseName, GroundwaterCase } from './groundwater-case.js';
import { createCase1 } from './zoned-case.js';
import { createCase2 } from './gaussian-case.js';
import { createCase3 } from './channelized-case.js';

const CASE_NAMES: CaseName[] = ['case1', 'case2', 'case3'];

/** Whether `name` names a groundwater case (e.g. a dataset's `source`). */
export function isCaseName(name: string): name is CaseName {
  return (CASE_NAMES as string[]).includes(name);
}

const built = new Map<CaseName, GroundwaterCase>();

export function getCase(name: CaseName | GroundwaterCase): GroundwaterCase {
  if (typeof name === 'object' && name !== null) return name;
  let c = built.get(name);
  if (c) return c;
  switch (name) {
    case 'case1':
      c = createCase1();
      break;
    case 'case2':
      c = createCase2();
      break;
    case 'case3':
      c = createCase3();
      break;
    default:
      throw new Error(`case name must be one of ${CASE_NAMES.join(', ')}, got ${String(name)}`);
  }
  built.set(name, c);
  return c;
}
