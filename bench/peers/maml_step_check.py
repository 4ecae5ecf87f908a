"""Runs the shared PyTorch MAML peer's own functions (`init`, `f`, `adapt` of `maml_torch_peer.py`,
taken from its source without running its training loop) on given parameters and data, so that our
learners can be checked against the peer step by step on identical inputs:

- `meta_steps`: the body of the peer's training loop (meta-loss = mean over the meta-batch of the
  query MSE after `adapt(ps, xs[i], ys[i], 1, not first_order)`, `backward`, `torch.optim.Adam(ps,
  lr=1e-3)`), once per given meta-batch; the meta-loss and the gradient of the first, and the
  parameters after every step.
- `evaluation`: the peer's evaluation (query MSE after `adapt(ps, xs[i], ys[i], steps, False)`)
  for the given tasks at the initial parameters.
- `init_stats`: the peer's `init()` under `torch.manual_seed(0)`: each weight tensor's bound
  1/sqrt(fan_in) and its largest |value|, and whether the biases are zero.

Parameters are the peer's layout (weights [out, in]); the input is a JSON file:
{"theta": [[...], ...], "first_order": bool, "lr": 0.001,
 "batches": [{"xs": [T][K][1], "ys": ..., "xq": ..., "yq": ...}, ...],
 "eval": {"xs": ..., "ys": ..., "xq": ..., "yq": ..., "steps": [1, 10]}}
usage: /usr/bin/python3 maml_step_check.py --peers-dir /work/shared/peers --input in.json
"""
import json, math, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _peer_functions import peer_functions

args = sys.argv[1:]
if len(args) != 4 or args[0] != "--peers-dir" or args[2] != "--input":
    sys.exit(__doc__)
init, f, adapt = peer_functions(args[1], ["init", "f", "adapt"])
torch.set_num_threads(1)

with open(args[3]) as fh:
    spec = json.load(fh)
shapes = [p.shape for p in init()]
ps = [torch.tensor(v, dtype=torch.float32).reshape(s).requires_grad_() for v, s in zip(spec["theta"], shapes)]
theta0 = [p.detach().clone() for p in ps]
flat = lambda ts: [t.detach().reshape(-1).tolist() for t in ts]
opt = torch.optim.Adam(ps, lr=spec.get("lr", 1e-3))
first_order = bool(spec["first_order"])
losses, grads, params = [], None, []
for batch in spec["batches"]:
    xs, ys, xq, yq = (torch.tensor(batch[k], dtype=torch.float32) for k in ("xs", "ys", "xq", "yq"))
    tasks = xs.shape[0]
    meta = 0
    for i in range(tasks):
        fast = adapt(ps, xs[i], ys[i], 1, not first_order)
        meta = meta + ((f(fast, xq[i]) - yq[i]) ** 2).mean()
    opt.zero_grad(); (meta / tasks).backward()
    losses.append((meta / tasks).item())
    if grads is None:
        grads = flat([p.grad for p in ps])
    opt.step()
    params.append(flat(ps))

out = {"meta_steps": {"losses": losses, "grads": grads, "params": params}}
if "eval" in spec:
    e = spec["eval"]
    base = [t.clone().requires_grad_() for t in theta0]
    xs, ys, xq, yq = (torch.tensor(e[k], dtype=torch.float32) for k in ("xs", "ys", "xq", "yq"))
    out["evaluation"] = {
        str(steps): [((f(adapt(base, xs[i], ys[i], steps, False), xq[i]) - yq[i]) ** 2).mean().item()
                     for i in range(xs.shape[0])]
        for steps in e["steps"]
    }
torch.manual_seed(0)
stats = []
for p in init():
    if p.dim() == 2:
        stats.append({"kind": "weight", "bound": 1 / math.sqrt(p.shape[1]), "max_abs": p.abs().max().item()})
    else:
        stats.append({"kind": "bias", "all_zero": bool((p == 0).all().item())})
out["init_stats"] = stats
print(json.dumps(out))
