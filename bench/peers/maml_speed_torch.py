"""Milliseconds per MAML meta-iteration in plain PyTorch, for the speed table of `bench/maml.ts --speed`.

The training loop of ../shared/peers/maml_torch_peer.py (Finn et al. 2017 sinusoids: ReLU MLP
1-W-W-1, inner SGD alpha 0.01, Adam 1e-3, one loop over the tasks of a meta-batch,
torch.autograd.grad with create_graph for second order), with the width, meta-batch size and
inner steps as options and no evaluation. One torch thread. Prints one JSON line.

usage: /usr/bin/python3 maml_speed_torch.py --iters 200 --width 40 --meta-batch 25 [--first-order]
"""
import argparse, json, math, time
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--iters", type=int, default=200)
ap.add_argument("--warmup", type=int, default=10)
ap.add_argument("--width", type=int, default=40)
ap.add_argument("--meta-batch", type=int, default=25)
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--inner-steps", type=int, default=1)
ap.add_argument("--first-order", action="store_true")
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()
torch.manual_seed(a.seed)
torch.set_num_threads(1)
W, T = a.width, a.meta_batch


def init():
    ps = []
    for i, o in [(1, W), (W, W), (W, 1)]:
        w = torch.empty(o, i)
        torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))
        ps += [w.requires_grad_(), torch.zeros(o).requires_grad_()]
    return ps


def f(ps, x):
    h = torch.relu(x @ ps[0].T + ps[1])
    h = torch.relu(h @ ps[2].T + ps[3])
    return h @ ps[4].T + ps[5]


def adapt(ps, x, y, steps, create_graph):
    for _ in range(steps):
        loss = ((f(ps, x) - y) ** 2).mean()
        gs = torch.autograd.grad(loss, ps, create_graph=create_graph)
        ps = [p - 0.01 * g for p, g in zip(ps, gs)]
    return ps


ps = init()
opt = torch.optim.Adam(ps, lr=1e-3)


def iteration():
    A = torch.empty(T, 1, 1).uniform_(0.1, 5)
    P = torch.empty(T, 1, 1).uniform_(0, math.pi)
    xs = torch.empty(T, a.k, 1).uniform_(-5, 5)
    xq = torch.empty(T, a.k, 1).uniform_(-5, 5)
    ys, yq = A * torch.sin(xs + P), A * torch.sin(xq + P)
    meta = 0
    for i in range(T):
        fast = adapt(ps, xs[i], ys[i], a.inner_steps, not a.first_order)
        meta = meta + ((f(fast, xq[i]) - yq[i]) ** 2).mean()
    opt.zero_grad()
    (meta / T).backward()
    opt.step()


for _ in range(a.warmup):
    iteration()
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(a.iters):
    iteration()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"peer": "torch-maml-speed", "torch": torch.__version__, "width": W, "meta_batch": T,
                  "inner_steps": a.inner_steps, "first_order": a.first_order, "iters": a.iters,
                  "ms_wall": 1000 * wall / a.iters, "ms_cpu": 1000 * cpu / a.iters}))
