"""A PyTorch reference for the few-shot classification protocol (`lib/protocols/fewshot.ts`):
MAML (exact second order), first-order MAML, Meta-SGD and ANIL written directly in PyTorch with
`torch.autograd.grad(create_graph=True)`, trained on the same class pools and scored on the very
meta-test episodes of our run (both exported by `bench/fewshot_peer.ts`). Nothing of ours runs
here: the network, the inner loop, Adam and the scoring are PyTorch's, so the figures are an
independent implementation of the same protocol.

Protocol (as ours): a ReLU MLP in-64-64-ways with logits, weights U(-1/sqrt(fan_in), +), biases 0;
softmax cross-entropy averaged over a set's points; meta-training with Adam (lr 1e-3, betas 0.9 and
0.999, eps 1e-8) on the mean query loss of a meta-batch of episodes after one inner SGD step at the
inner rate on the support loss (Meta-SGD: one learned rate per parameter element, starting at the
inner rate; ANIL: only the last layer adapts). Meta-train episodes: `ways` classes drawn without
replacement from the pool, `shots + queries` images per class without replacement, classes in a
random order per episode. Scoring: each meta-test episode adapted with the learner's own rule,
query accuracy after each of `steps` steps; mean over episodes and its 95% Student-t half-width.

Input folder (written by `bench/fewshot_peer.ts`): `meta.json` ({"inputDim", "ways", "shots",
"queries", "trainRows", "trainClasses", "testEpisodes"}), `train_x.f32` (rows x inputDim),
`train_class.i32` (class index per row), `test_support_x.f32`, `test_support_y.i32`,
`test_query_x.f32`, `test_query_y.i32` (episodes x points [x inputDim], labels local to the
episode). Prints one JSON object: {"learners": {name: {"accuracy": {step: [mean, ci95]},
"seconds", "ms_per_meta_iteration", "diverged"}}, "torch", "threads"}.

With `--speed WARMUP` it scores nothing: per learner, WARMUP untimed meta-iterations, then
`iterations` timed ones; it prints {"learners": {name: {"ms_wall", "ms_cpu"}}, "torch", "threads"}
(milliseconds per meta-iteration, wall and process CPU time).

With `--dtype float64` the whole reference (inputs, parameters, inner loop, meta-gradient and
Adam) runs in float64 instead of PyTorch's default float32: ours computes in float64 throughout,
so this separates the arithmetic from the algorithm when the two differ.

With `--check FILE` it trains nothing: it reads {"kind", "inner_lr", "sizes", "theta" (our layout:
W as [in, out] row-major, then b, per layer), "batch": {"sx", "sy", "qx", "qy"} ([T][n][in] inputs,
[T][n] labels)} and prints {"loss", "grads"} of one meta-gradient of the training step below
(Meta-SGD: the rates' gradients follow θ's), for checking it against ours.

usage: /usr/bin/python3 fewshot_torch.py --data DIR --seed S --iterations N
       [--learners maml,fomaml,metasgd,anil] [--meta-batch 8] [--inner-lr 0.4] [--meta-lr 1e-3]
       [--hidden 64,64] [--steps 1,10] [--speed WARMUP] [--dtype float32|float64]
       /usr/bin/python3 fewshot_torch.py --check FILE
"""
import argparse, json, math, os, sys, time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)

parser = argparse.ArgumentParser(usage=__doc__)
parser.add_argument("--data")
parser.add_argument("--seed", type=int)
parser.add_argument("--iterations", type=int)
parser.add_argument("--check")
parser.add_argument("--learners", default="maml,fomaml,metasgd,anil")
parser.add_argument("--meta-batch", type=int, default=8)
parser.add_argument("--inner-lr", type=float, default=0.4)
parser.add_argument("--meta-lr", type=float, default=1e-3)
parser.add_argument("--hidden", default="64,64")
parser.add_argument("--steps", default="1,10")
parser.add_argument("--speed", type=int, metavar="WARMUP")
parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
args = parser.parse_args()

def init_params(generator, sizes):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1.0 / math.sqrt(fan_in)
        w = (torch.rand(fan_in, fan_out, generator=generator) * 2 - 1) * bound
        params += [w.requires_grad_(), torch.zeros(fan_out, requires_grad=True)]
    return params


def forward(params, x):
    """x: [T, n, D]; params: [T, ...]-batched or shared tensors."""
    h = x
    layers = len(params) // 2
    for l in range(layers):
        w, b = params[2 * l], params[2 * l + 1]
        h = torch.matmul(h, w) + (b.unsqueeze(-2) if b.dim() == 2 else b)
        if l + 1 < layers:
            h = F.relu(h)
    return h


def task_losses(params, x, y):
    """Mean cross-entropy of each task's set: [T]."""
    logits = forward(params, x)
    T, n = y.shape
    return F.cross_entropy(logits.reshape(T * n, -1), y.reshape(-1), reduction="none") \
        .reshape(T, n).mean(1)


def inner_steps(kind, current, lrs, x, y, n_steps, create_graph):
    """n_steps inner SGD steps from parameters batched per task ([T, ...]); all adapt but ANIL's
    body. Without create_graph each step starts from detached parameters (scoring)."""
    adapts = [True] * len(current) if kind != "anil" else \
        [i >= len(current) - 2 for i in range(len(current))]
    for _ in range(n_steps):
        if not create_graph:
            current = [c.detach().requires_grad_() for c in current]
        loss = task_losses(current, x, y).sum()  # per-task gradients from one backward pass
        wanted = [p for p, a in zip(current, adapts) if a]
        grads = iter(torch.autograd.grad(loss, wanted, create_graph=create_graph))
        current = [p - lr * next(grads) if a else p for p, lr, a in zip(current, lrs, adapts)]
    return current


def adapt(kind, params, lrs, x, y, n_steps, create_graph):
    """n_steps inner SGD steps on each task of the batch from shared θ; [T, ...]-batched result."""
    T = x.shape[0]
    current = [p.unsqueeze(0).expand(T, *p.shape) for p in params]
    return inner_steps(kind, current, lrs, x, y, n_steps, create_graph)


def sample_batch(rng, T):
    sx, sy, qx, qy = [], [], [], []
    for _ in range(T):
        chosen = rng.choice(len(members), WAYS, replace=False)
        s_idx, q_idx, s_lab, q_lab = [], [], [], []
        for local, c in enumerate(chosen):
            picked = rng.choice(members[c], SHOTS + QUERIES, replace=False)
            s_idx += list(picked[:SHOTS])
            q_idx += list(picked[SHOTS:])
            s_lab += [local] * SHOTS
            q_lab += [local] * QUERIES
        sx.append(train_x[s_idx]); qx.append(train_x[q_idx])
        sy.append(s_lab); qy.append(q_lab)
    return (torch.stack(sx), torch.tensor(sy), torch.stack(qx), torch.tensor(qy))


def t95(dof):
    # Student t quantile 0.975 (Cornish-Fisher expansion: 1.965927 for the 399 degrees of freedom
    # of 400 episodes, as scipy; within 0.3% from 5 degrees of freedom up).
    z = 1.959963984540054
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    return z + g1 / dof + g2 / dof ** 2 + g3 / dof ** 3


def score(kind, params, lrs):
    """Query accuracy after each of `steps` inner steps: {step: [mean, 95% half-width]}."""
    accs = {s: [] for s in steps}
    lr_values = [lr.detach() if torch.is_tensor(lr) else lr for lr in lrs]
    chunk = 50
    for start in range(0, E, chunk):
        sl = slice(start, start + chunk)
        n = min(chunk, E - start)
        current = [p.detach().unsqueeze(0).expand(n, *p.shape).clone() for p in params]
        done = 0
        for s in steps:
            current = [c.detach() for c in inner_steps(
                kind, current, lr_values, test["sx"][sl], test["sy"][sl], s - done, False)]
            done = s
            with torch.no_grad():
                predicted = forward(current, test["qx"][sl]).argmax(-1)
                accs[s] += (predicted == test["qy"][sl]).double().mean(1).tolist()
    out = {}
    for s in steps:
        a = np.array(accs[s])
        out[s] = [float(a.mean()), float(t95(len(a) - 1) * a.std(ddof=1) / math.sqrt(len(a)))]
    return out

def meta_gradient(kind, params, lrs, batch):
    """The training step's meta-loss and gradients (into .grad of θ, and of the rates for Meta-SGD):
    the mean query loss after one inner step on each episode's support set."""
    sx, sy, qx, qy = batch
    adapted = adapt(kind, params, lrs, sx, sy, 1, create_graph=(kind != "fomaml"))
    for p in params + [lr for lr in lrs if torch.is_tensor(lr)]:
        p.grad = None
    if kind == "fomaml":
        # First order: the query gradient at the adapted parameters, applied to θ.
        adapted = [a.detach().requires_grad_() for a in adapted]
        loss = task_losses(adapted, qx, qy).mean()
        for p, g in zip(params, torch.autograd.grad(loss, adapted)):
            p.grad = g.sum(0)
    else:
        loss = task_losses(adapted, qx, qy).mean()
        loss.backward()
    return loss.item()


def check(path):
    with open(path) as fh:
        spec = json.load(fh)
    sizes, kind = spec["sizes"], spec["kind"]
    params = []
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        w = torch.tensor(spec["theta"][2 * l], dtype=torch.float32).reshape(fan_in, fan_out)
        b = torch.tensor(spec["theta"][2 * l + 1], dtype=torch.float32).reshape(fan_out)
        params += [w.requires_grad_(), b.requires_grad_()]
    lrs = [torch.full_like(p, spec["inner_lr"], requires_grad=True) for p in params] \
        if kind == "metasgd" else [spec["inner_lr"]] * len(params)
    b = spec["batch"]
    batch = (torch.tensor(b["sx"], dtype=torch.float32), torch.tensor(b["sy"]),
             torch.tensor(b["qx"], dtype=torch.float32), torch.tensor(b["qy"]))
    loss = meta_gradient(kind, params, lrs, batch)
    grads = [p.grad.reshape(-1).tolist() for p in params]
    if kind == "metasgd":
        grads += [lr.grad.reshape(-1).tolist() for lr in lrs]
    json.dump({"loss": loss, "grads": grads}, sys.stdout)
    print()


if args.check:
    check(args.check)
    sys.exit(0)
for name in ("data", "seed", "iterations"):
    if getattr(args, name) is None:
        sys.exit(f"--{name} is required (or --check FILE)")

KNOWN = ("maml", "fomaml", "metasgd", "anil")
learners = [name for name in args.learners.split(",") if name]
for name in learners:
    if name not in KNOWN:
        sys.exit(f"--learners: unknown learner {name!r} (known: {', '.join(KNOWN)})")
steps = sorted({int(s) for s in args.steps.split(",") if s})
if not steps or steps[0] < 0:
    sys.exit("--steps: non-negative integers, comma-separated")

with open(os.path.join(args.data, "meta.json")) as fh:
    meta = json.load(fh)
D, WAYS, SHOTS, QUERIES = meta["inputDim"], meta["ways"], meta["shots"], meta["queries"]
E = meta["testEpisodes"]


def load(name, dtype, shape):
    array = np.fromfile(os.path.join(args.data, name), dtype=dtype)
    expected = int(np.prod(shape))
    if array.size != expected:
        sys.exit(f"{name}: {array.size} values, expected {expected} for shape {shape}")
    return array.reshape(shape)


DTYPE = torch.float64 if args.dtype == "float64" else torch.float32
# Parameters (init_params, Meta-SGD's rates) take the default dtype; inputs are converted below.
torch.set_default_dtype(DTYPE)
train_x = torch.from_numpy(load("train_x.f32", "<f4", (meta["trainRows"], D)).copy()).to(DTYPE)
train_class = load("train_class.i32", "<i4", (meta["trainRows"],))
members = [np.flatnonzero(train_class == c) for c in range(meta["trainClasses"])]
members = [m for m in members if m.size >= SHOTS + QUERIES]
if len(members) < WAYS:
    sys.exit(f"only {len(members)} meta-train classes have {SHOTS + QUERIES} rows")
test = {
    "sx": torch.from_numpy(load("test_support_x.f32", "<f4", (E, WAYS * SHOTS, D)).copy()).to(DTYPE),
    "sy": torch.from_numpy(load("test_support_y.i32", "<i4", (E, WAYS * SHOTS)).astype(np.int64)),
    "qx": torch.from_numpy(load("test_query_x.f32", "<f4", (E, WAYS * QUERIES, D)).copy()).to(DTYPE),
    "qy": torch.from_numpy(load("test_query_y.i32", "<i4", (E, WAYS * QUERIES)).astype(np.int64)),
}
SIZES = [D] + [int(h) for h in args.hidden.split(",") if h] + [WAYS]


result = {"learners": {}, "torch": torch.__version__, "threads": torch.get_num_threads(),
          "dtype": args.dtype}
for index, kind in enumerate(learners):
    generator = torch.Generator().manual_seed(args.seed)
    params = init_params(generator, SIZES)
    if kind == "metasgd":
        lrs = [torch.full_like(p, args.inner_lr, requires_grad=True) for p in params]
        meta_params = params + lrs
    else:
        lrs = [args.inner_lr] * len(params)
        meta_params = params
    optimizer = torch.optim.Adam(meta_params, lr=args.meta_lr, betas=(0.9, 0.999), eps=1e-8)
    rng = np.random.default_rng([args.seed, index])

    def train(iterations):
        for _ in range(iterations):
            loss = meta_gradient(kind, params, lrs, sample_batch(rng, args.meta_batch))
            if not math.isfinite(loss):
                return True
            optimizer.step()
        return False

    if args.speed is not None:
        train(args.speed)
        wall, cpu = time.perf_counter(), time.process_time()
        diverged = train(args.iterations)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        result["learners"][kind] = {
            "ms_wall": 1000 * wall / args.iterations,
            "ms_cpu": 1000 * cpu / args.iterations,
            "diverged": diverged,
        }
        continue
    began = time.perf_counter()
    diverged = train(args.iterations)
    seconds = time.perf_counter() - began
    result["learners"][kind] = {
        "accuracy": score(kind, params, lrs),
        "seconds": seconds,
        "ms_per_meta_iteration": 1000 * seconds / args.iterations,
        "diverged": diverged,
    }
json.dump(result, sys.stdout)
print()
