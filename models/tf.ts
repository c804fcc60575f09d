/**
 * The one TensorFlow.js instance of Plume. Every module imports tf from here, never from
 * '@tensorflow/tfjs' directly, so models, kernels registered for `wasm` and the optional native
 * backends (`@tensorflow/tfjs-node[-gpu]`, which attach themselves to the same engine) all share
 * one engine, one kernel registry and one memory tracker.
 *
 * `@tensorflow/tfjs` (union package: core + layers + cpu + webgl) and
 * `@tensorflow/tfjs-backend-wasm` resolve to the same `@tensorflow/tfjs-core` in node_modules; the
 * backend module checks that at start-up (see `backend.ts`).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
