import assert from "node:assert/strict";
import { budgetSteps } from "../../lib/bench/steps.ts";
import { TRANSFER_STEPS } from "../../bench/suites/transfer.ts";

Deno.test("budgetSteps: the fixed steps within the budget, then the budget itself", () => {
  assert.deepEqual(budgetSteps([1, 5, 10, 25, 50], 30), [1, 5, 10, 25, 30]);
  assert.deepEqual(budgetSteps([10, 25, 50], 60), [10, 25, 50, 60]);
  assert.deepEqual(budgetSteps([10, 25, 50], 5), [5]);
  assert.deepEqual(budgetSteps([50, 10, 10], 25), [10, 25]);
  // The default budget: the transfer suites' steps as they always were.
  assert.deepEqual(budgetSteps(TRANSFER_STEPS, 50), [1, 5, 10, 25, 50]);
  assert.throws(() => budgetSteps([1], 0), /^RangeError: budgetSteps budget: .* got 0$/);
  assert.throws(() => budgetSteps([1.5], 3), /^RangeError: budgetSteps fixed: .* got 1.5$/);
});
