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
