"""Evaluates networks of ours (checkpoints of `bench/maml.ts --save-checkpoints`) with the shared
PyTorch peer's own evaluation code on the peer's own evaluation tasks: the statements of
`maml_torch_peer.py` from `torch.manual_seed(1)` to its final `print` (600 tasks, K = 5 and 10,
100 grid points, 1 and 10 plain SGD steps at 0.01), run with our parameters as its `ps`. Removes
the evaluation set and the evaluation code from a comparison of ours with the peer.

Our family is A·sin(x − φ), the peer's A·sin(x + φ): with g(x) = −f(−x) a network f of ours
becomes one for the peer's family (W₁ → −W₁, W₃ → −W₃, b₃ → −b₃; b₁, W₂, b₂ unchanged), and
adapting g on a peer task is, step for step, adapting f on its mirror image (x → −x, y → −y), a
task of ours with the same amplitude and phase. Weights are transposed from our [in, out] to the
peer's [out, in].

Prints one JSON line per checkpoint: {"checkpoint", "kind", "seed", "iteration", "mse" (the peer's
[mean, 95% half-width] per cell), "per_task" (each task's loss, as `maml_per_task.py` records)};
with `--tasks` also "tasks": the peer's amplitudes, phases and K = 10 support inputs (to check the
mirror image against our own evaluation of the same network).
usage: /usr/bin/python3 maml_peer_eval.py --peers-dir /work/shared/peers [--tasks] CHECKPOINT.json...
"""
import json, os, re, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _peer_functions import peer_evaluation, peer_functions, recorded_task_losses

args = sys.argv[1:]
if len(args) < 3 or args[0] != "--peers-dir":
    sys.exit(__doc__)
peers_dir, files = args[1], [a for a in args[2:] if a != "--tasks"]
with_tasks = "--tasks" in args[2:]
task, sample, f, adapt = peer_functions(peers_dir, ["task", "sample", "f", "adapt"])
evaluation = peer_evaluation(peers_dir)
torch.set_num_threads(1)

SIZES = [1, 40, 40, 1]
MIRROR = {0: -1.0, 4: -1.0, 5: -1.0}  # W1, W3, b3


def peer_params(checkpoint):
    variables = checkpoint["variables"]
    ps = []
    for i in range(2 * (len(SIZES) - 1)):
        v = variables[f"theta.{i}"]
        t = torch.tensor(v["values"], dtype=torch.float32).reshape(v["shape"])
        if i % 2 == 0:
            if list(v["shape"]) != [SIZES[i // 2], SIZES[i // 2 + 1]]:
                sys.exit(f"theta.{i}: shape {v['shape']}, expected a 1-40-40-1 network")
            t = t.T.contiguous()
        ps.append((MIRROR.get(i, 1.0) * t).requires_grad_())
    return ps


for path in files:
    with open(path) as fh:
        checkpoint = json.load(fh)
    namespace = {"torch": torch, "math": __import__("math"), "task": task, "sample": sample,
                 "f": f, "adapt": adapt, "lrs": None, "ps": peer_params(checkpoint)}
    with recorded_task_losses() as captured:
        exec(evaluation, namespace)
    res = namespace["res"]
    if len(captured) != len(res):
        sys.exit(f"{path}: recorded {len(captured)} per-task lists for {len(res)} results")
    seed = re.search(r"_seed(\d+)\.json$", path)
    print(json.dumps({
        "checkpoint": os.path.basename(path),
        "kind": checkpoint["kind"],
        "seed": int(seed.group(1)) if seed else checkpoint["options"].get("seed"),
        "iteration": checkpoint["iteration"],
        "mse": res,
        "per_task": dict(zip(res.keys(), captured)),
        **({"tasks": {
            "amplitude": namespace["A"].reshape(-1).tolist(),
            "phase": namespace["P"].reshape(-1).tolist(),
            "support_x_k10": namespace["xs"].reshape(600, -1).tolist(),
        }} if with_tasks else {}),
    }))
