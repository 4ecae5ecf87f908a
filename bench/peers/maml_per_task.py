"""Runs the shared PyTorch MAML peer (`maml_torch_peer.py`) unmodified and adds each evaluation
task's query MSE to its output, so that its figures can be summarised by the same rule as ours
(mean over the tasks whose loss stayed finite, the others counted, and the median over tasks).
The peer builds one list of 600 per-task losses per (K, steps) and passes it to `torch.tensor`;
this wrapper records those lists in that order (the order of the peer's `mse` keys) and prints the
peer's JSON record with a `per_task` field added.

With `--float64` (first) the peer runs with `torch.set_default_dtype(torch.float64)`: it creates
every tensor without an explicit dtype, so its parameters, tasks, meta-gradient and Adam state
are all float64, its source unchanged. PyTorch draws float64 random numbers differently from
float32 ones, so seed S in float64 is another initialisation, training task stream and set of
evaluation tasks than seed S in float32.
usage: /usr/bin/python3 maml_per_task.py [--float64] --peers-dir ../../../shared/peers maml_torch_peer.py --iters 1000 ...
"""
import contextlib, io, json, os, runpy, sys

import torch

from _peer_functions import recorded_task_losses

args = sys.argv[1:]
float64 = bool(args) and args[0] == "--float64"
if float64:
    args = args[1:]
if len(args) < 3 or args[0] != "--peers-dir":
    sys.exit(__doc__)
peers_dir, script, rest = os.path.abspath(args[1]), args[2], args[3:]
path = os.path.join(peers_dir, script)

sys.argv = [path] + rest
sys.path.insert(0, peers_dir)
if float64:
    torch.set_default_dtype(torch.float64)
out = io.StringIO()
with recorded_task_losses() as captured, contextlib.redirect_stdout(out):
    runpy.run_path(path, run_name="__main__")
lines = [line for line in out.getvalue().splitlines() if line.strip().startswith("{")]
if not lines:
    sys.exit(f"{script} printed no JSON record")
record = json.loads(lines[-1])
keys = list(record["mse"].keys())
if len(captured) != len(keys):
    sys.exit(f"recorded {len(captured)} per-task lists for {len(keys)} results of {script}")
record["per_task"] = dict(zip(keys, captured))
print(json.dumps(record))
