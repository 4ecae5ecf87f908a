// deno-lint-ignore-file no-import-prefix -- full npm: specifiers on purpose: URL importers get no import map.
/**
 * The pinned TensorFlow.js import (float32; used only where gradients through models are needed).
 *
 * @module
 */
import * as tf from "npm:@tensorflow/tfjs@4.22.0";
import "npm:@tensorflow/tfjs-backend-wasm@4.22.0";

tf.env().set("PROD", true);

export { tf };

/** Tensor types that appear in metahpo's public signatures (the MAML learners). */
export type {
  Optimizer,
  Scalar,
  Tensor,
  Tensor1D,
  Tensor3D,
  Variable,
} from "npm:@tensorflow/tfjs@4.22.0";
