"""A PyTorch/GPyTorch reference for FSBO (Wistuba & Grabocka 2021, "Few-shot Bayesian optimization
with deep kernel surrogates", ICLR), written after the authors' released code and run on the very
problems of our leave-one-task-out protocol (`bench/fsbo_peer.ts` exports them). Nothing of ours
runs here: the network, the GP, the marginal likelihood, Adam and the acquisition are PyTorch's and
GPyTorch's, so the regret curves are an independent implementation of the same method.

Authors' code followed (read, not copied): github.com/machinelearningnuremberg/FSBO
(`fsbo_modules.py`, `fsbo_metatrain.py`, `fsbo_test.py`, `fsbo_utils.py`; the same modules are in
github.com/machinelearningnuremberg/HPO-B under `methods/fsbo/`, and its `hpob_handler.py` is the
pool-mode loop). What this file takes from them:

- Feature extractor (`MLP` in fsbo_modules.py, hidden_size=[32,32,32,32]): Linear(d,32), ReLU,
  Linear(32,32), ReLU, Linear(32,32), ReLU, Linear(32,32); no activation after the last layer,
  dropout 0; PyTorch's default initialisation under `torch.manual_seed`.
- GP (`ExactGPLayer`): gpytorch ExactGP with ConstantMean, ScaleKernel(MaternKernel(nu=2.5)) with
  one lengthscale (ard=False), GaussianLikelihood() with GPyTorch's defaults (noise >= 1e-4), the
  loss -ExactMarginalLogLikelihood (per point); float32 tensors, as `totorch` makes them.
- Meta-training (`FSBO.meta_train`/`train_loop`): Adam over every parameter at lr 1e-4,
  CosineAnnealingLR(T_max=epochs, eta_min=1e-7) stepped once per epoch; each epoch the training
  tasks in a fresh random order, one Adam step per task on a batch of min(64, n) of its points
  drawn without replacement (`get_batch`, batch_size=64, n_inner_steps=1), values min-max scaled
  over the whole task (`MinMaxScaler`); after each epoch the mean validation loss over the
  validation tasks (`test_loop`: the GP conditioned on a support set, -mll of the query set under
  `likelihood(model(z_query))`, as the code computes it) and the checkpoint of the lowest one kept.
- BO on the new task (`DeepKernelGP.observe_and_suggest`, run by `fsbo_test.py` with
  load_model=True, epochs=100): at every step the parameters are reloaded from the meta-trained
  checkpoint and fine-tuned on all observations by a fresh Adam at lr 1e-3 (network and GP), at
  most 100 epochs, stopped once the loss has stayed within `np.allclose(atol=1e-4)` of the
  previous one more than 16 times in a row (max_patience=16), the state recorded at the lowest
  loss kept (recorded after that step's update, as the code does); then EI (`fsbo_utils.EI`, for
  maximisation, incumbent max(y_obs), mean and standard deviation of `likelihood(model(z))`, so
  with the noise) over every not yet evaluated pool point, and the first argmax is evaluated next.
- Values (`hpob_handler.evaluate`): the held-out task's values are min-max normalised over its
  whole pool and maximised. Ours are validation errors (minimised), so the peer sees
  y = (max - v) / (max - min) with the pool's min and max, and past tasks' -v min-max scaled.

Where this differs from the authors' code (stated, not hidden):

- Epochs: the authors meta-train 50,000 (`meta_train`'s default) to 100,000 (`fsbo_metatrain.py`)
  epochs; here `--epochs`/the job's `epochs` (the run's value is in its README), with the same
  learning rate and the cosine schedule over that shorter length.
- Validation split: HPO-B has meta-validation datasets; here `valid_fraction` (default 0.1, at
  least 1) of the past tasks, drawn with the seed, are validation tasks and the rest train. Their
  64 points leave no query set after a support of 64, so the support is min(64, n // 2) points and
  the query min(64, the rest).
- Initial design: HPO-B starts from 5 given configurations; here from the job's `initial` indices
  (our `fsbo` strategy's warm start), and `budget` counts them.
- Fine-tuning mode: in the released code `predict` puts the GP and likelihood in eval mode and
  nothing puts them back in train mode, so from the second BO step on the "fine-tuning" loss is
  the likelihood of the posterior predictive at the training points, not the marginal likelihood.
  Mode `mll` (default) fine-tunes on the marginal likelihood in train mode at every step, as the
  paper describes and as the code does at its first step; mode `as-released` keeps the released
  behaviour. A job may ask for both (`modes`); they share the meta-training.
- Seeds: the job's `seed` seeds torch (network initialisation), the task order, the batches and
  the validation split (the authors fix 123 and 413 for these).

Job (JSON file, written by `bench/fsbo_peer.ts`): {"format": "fsbo-peer-job/1", "task",
"seed", "budget", "initial": [pool indices], "past": [{"id", "points": [[unit-cube coordinates]],
"values": [...]}], "pool": {"points": [[...]], "values": [...], "minimum", "maximum"},
"settings": {"epochs", "lr", "batch_size", "finetune_epochs", "finetune_lr", "patience",
"loss_tol", "valid_fraction", "modes"}}. Values are minimised (ours); the peer turns them as above.

Answer (JSON file `--out`, and one line on stdout): {"format": "fsbo-peer-result/1", "task",
"seed", "runs": {mode: {"indices": [budget pool indices], "bo_seconds", "finetune_epochs": [per
step]}}, "meta": {"seconds", "epochs", "best_epoch", "best_valid_loss", "train_tasks",
"valid_tasks"}, "torch", "gpytorch", "threads"}.

With `--validate` it imports neither torch nor GPyTorch: it reads the job, checks it and prints
{"task", "seed", "budget", "dim", "past_tasks", "past_points", "pool", "initial", "points_sum",
"values_sum"} (sums of every coordinate and value), so the export format can be checked without
torch.

With `--imports` it only imports torch and GPyTorch (vendored as above) and prints their versions
(exit status 1 when it cannot).

usage: /usr/bin/python3 fsbo_torch.py --job JOB.json [--out RESULT.json] [--threads 1]
       [--log-every N]
       /usr/bin/python3 fsbo_torch.py --job JOB.json --validate
       /usr/bin/python3 fsbo_torch.py --imports
"""
import argparse, copy, hashlib, json, math, os, sys, tarfile, tempfile, time, warnings

try:  # --validate and --imports need no numpy
    import numpy as np
except ImportError:
    np = None

FORMAT_JOB = "fsbo-peer-job/1"
FORMAT_RESULT = "fsbo-peer-result/1"
DEFAULT_SETTINGS = {
    "epochs": 50000,  # the authors' meta_train default; runs pass fewer (see the README)
    "lr": 1e-4,
    "batch_size": 64,
    "finetune_epochs": 100,  # fsbo_test.py
    "finetune_lr": 1e-3,
    "patience": 16,
    "loss_tol": 1e-4,
    "valid_fraction": 0.1,
    "modes": ["mll"],
}
MODES = ("mll", "as-released")


def read_job(path):
    """The job at `path`, checked, with the settings' defaults filled in."""
    with open(path) as f:
        job = json.load(f)
    if job.get("format") != FORMAT_JOB:
        raise ValueError(f"job format must be {FORMAT_JOB!r}, got {job.get('format')!r}")
    for key in ("task", "seed", "budget", "initial", "past", "pool"):
        if key not in job:
            raise ValueError(f"job: missing {key!r}")
    pool = job["pool"]
    n = len(pool["points"])
    if n == 0 or len(pool["values"]) != n:
        raise ValueError("job.pool: needs points and one value per point")
    dim = len(pool["points"][0])
    for name, rows in [("pool", pool["points"])] + [(f"past[{i}]", t["points"]) for i, t in enumerate(job["past"])]:
        for j, p in enumerate(rows):
            if len(p) != dim or any(not (0.0 <= x <= 1.0) for x in p):
                raise ValueError(f"job.{name}.points[{j}]: must have {dim} coordinates in [0, 1]")
    for i, t in enumerate(job["past"]):
        if len(t["values"]) != len(t["points"]) or len(t["points"]) < 2:
            raise ValueError(f"job.past[{i}]: needs >= 2 points and one value per point")
    if not (pool["maximum"] > pool["minimum"]):
        raise ValueError("job.pool: maximum must be > minimum")
    if not 1 <= job["budget"] <= n:
        raise ValueError(f"job.budget: must be in 1..{n}")
    init = job["initial"]
    if len(init) == 0 or len(set(init)) != len(init) or any(not 0 <= i < n for i in init):
        raise ValueError("job.initial: needs >= 1 distinct pool indices")
    settings = dict(DEFAULT_SETTINGS)
    settings.update(job.get("settings") or {})
    unknown = set(settings) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"job.settings: unknown keys {sorted(unknown)}")
    if any(m not in MODES for m in settings["modes"]) or not settings["modes"]:
        raise ValueError(f"job.settings.modes: each one of {MODES}")
    job["settings"] = settings
    return job


def checksums(job):
    """Sums of every coordinate and of every value (past tasks, then the pool), to compare with the
    exporter's."""
    points = sum(math.fsum(math.fsum(p) for p in t["points"]) for t in job["past"])
    values = sum(math.fsum(t["values"]) for t in job["past"])
    return {"points_sum": points + math.fsum(math.fsum(p) for p in job["pool"]["points"]),
            "values_sum": values + math.fsum(job["pool"]["values"])}


def use_vendored_gpytorch():
    """Puts GPyTorch 1.12 / linear_operator 0.5.2 from /work/shared/peers/vendor/botorch-site.tgz
    (unpacked once into a temporary folder, as botorch_peer.py does) on sys.path when GPyTorch is
    not importable as installed."""
    try:
        import gpytorch  # noqa: F401
        return
    except ImportError:
        pass
    peers = os.environ.get("METAHPO_PEERS_DIR", "/work/shared/peers")
    archive = os.path.join(peers, "vendor", "botorch-site.tgz")
    if not os.path.exists(archive):
        return
    with open(archive, "rb") as f:
        tag = hashlib.sha256(f.read()).hexdigest()[:12]
    site = os.path.join(tempfile.gettempdir(), f"botorch-peer-site-{tag}")
    if not os.path.isdir(os.path.join(site, "gpytorch")):
        os.makedirs(site, exist_ok=True)
        with tarfile.open(archive) as t:
            t.extractall(site)
    sys.path.insert(0, site)


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--job")
    ap.add_argument("--imports", action="store_true",
                    help="only check that torch and GPyTorch import; print their versions")
    ap.add_argument("--out")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--validate", action="store_true")
    ap.add_argument("--log-every", type=int, default=0,
                    help="print the meta-training's losses to stderr every N epochs")
    args = ap.parse_args()
    if args.imports:
        use_vendored_gpytorch()
        try:
            import torch, gpytorch
        except ImportError as e:
            sys.exit(f"fsbo_torch: cannot import torch and GPyTorch ({e})")
        print(json.dumps({"torch": torch.__version__, "gpytorch": gpytorch.__version__}))
        return
    if not args.job:
        ap.error("--job is required")
    job = read_job(args.job)
    if args.validate:
        print(json.dumps({
            "task": job["task"], "seed": job["seed"], "budget": job["budget"],
            "dim": len(job["pool"]["points"][0]), "past_tasks": len(job["past"]),
            "past_points": sum(len(t["points"]) for t in job["past"]),
            "pool": len(job["pool"]["points"]), "initial": job["initial"], **checksums(job),
        }))
        return
    use_vendored_gpytorch()
    try:
        import torch, gpytorch
    except ImportError as e:
        sys.exit(f"fsbo_torch: cannot import torch and GPyTorch ({e}); needs python3-torch and "
                 "vendor/botorch-site.tgz under METAHPO_PEERS_DIR (default /work/shared/peers)")
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore")  # GPyTorch's "input matches the training data" in as-released mode
    result = run(job, torch, gpytorch, args.log_every)
    result["threads"] = torch.get_num_threads()
    text = json.dumps(result)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    print(text)


def run(job, torch, gpytorch, log_every=0):
    s = job["settings"]
    seed = int(job["seed"])
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    dim = len(job["pool"]["points"][0])

    class Features(torch.nn.Module):
        """Linear-ReLU x3, then a linear output of 32 (fsbo_modules.MLP, hidden [32,32,32,32])."""
        def __init__(self, d, hidden=(32, 32, 32, 32)):
            super().__init__()
            sizes = (d,) + tuple(hidden)
            self.layers = torch.nn.ModuleList(
                torch.nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
            self.out_features = hidden[-1]

        def forward(self, x):
            for layer in self.layers[:-1]:
                x = torch.relu(layer(x))
            return self.layers[-1](x)

    class GPLayer(gpytorch.models.ExactGP):
        """Constant mean, scaled Matern-5/2 with one lengthscale (fsbo_modules.ExactGPLayer)."""
        def __init__(self, x, y, likelihood):
            super().__init__(x, y, likelihood)
            self.mean_module = gpytorch.means.ConstantMean()
            self.covar_module = gpytorch.kernels.ScaleKernel(gpytorch.kernels.MaternKernel(nu=2.5))

        def forward(self, x):
            return gpytorch.distributions.MultivariateNormal(self.mean_module(x), self.covar_module(x))

    class DeepKernel(torch.nn.Module):
        def __init__(self, d, train_size):
            super().__init__()
            self.net = Features(d)
            self.likelihood = gpytorch.likelihoods.GaussianLikelihood()
            self.gp = GPLayer(torch.ones(train_size, self.net.out_features), torch.ones(train_size),
                              self.likelihood)
            self.mll = gpytorch.mlls.ExactMarginalLogLikelihood(self.likelihood, self.gp)

        def loss(self, x, y):
            """-mll per point of the GP on (features(x), y), in whatever mode the GP is in."""
            z = self.net(x)
            self.gp.set_train_data(inputs=z, targets=y, strict=False)
            return -self.mll(self.gp(z), self.gp.train_targets)

        def predictive(self, x_support, y_support, x_query):
            """likelihood(gp(z_query)) given the support, in eval mode, without gradients."""
            self.gp.eval(); self.likelihood.eval()
            z_support = self.net(x_support).detach()
            self.gp.set_train_data(inputs=z_support, targets=y_support, strict=False)
            with torch.no_grad():
                return self.likelihood(self.gp(self.net(x_query).detach()))

    def tensor(a):
        return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float32)

    def minmax_max(values):
        """Values to maximise, min-max scaled over the task (MinMaxScaler on -v)."""
        y = -np.asarray(values, dtype=np.float64)
        span = y.max() - y.min()
        return (y - y.min()) / span if span > 0 else np.zeros_like(y)

    # ---- meta-training --------------------------------------------------------------------
    past = [(tensor(t["points"]), minmax_max(t["values"])) for t in job["past"]]
    order = rng.permutation(len(past))
    n_valid = max(1, int(round(s["valid_fraction"] * len(past)))) if len(past) > 1 else 0
    valid = [past[i] for i in order[:n_valid]]
    train = [past[i] for i in order[n_valid:]]
    batch = int(s["batch_size"])
    model = DeepKernel(dim, batch)
    t0 = time.perf_counter()
    epochs = int(s["epochs"])
    optimizer = torch.optim.Adam(model.parameters(), lr=s["lr"])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, max(1, epochs), eta_min=1e-7)
    best = copy.deepcopy(model.state_dict())
    best_valid, best_epoch = math.inf, -1
    for epoch in range(epochs):
        model.train()
        train_losses = []
        for k in rng.permutation(len(train)):
            x, y = train[k]
            ids = rng.choice(len(y), size=min(batch, len(y)), replace=False)
            optimizer.zero_grad()
            loss = model.loss(x[ids], tensor(y[ids]))
            loss.backward()
            optimizer.step()
            train_losses.append(loss.item())
        scheduler.step()
        if valid:
            losses = []
            for x, y in valid:
                n = len(y)
                support = rng.choice(n, size=min(batch, n // 2), replace=False)
                rest = np.setdiff1d(np.arange(n), support)
                query = rng.choice(rest, size=min(batch, len(rest)), replace=False)
                pred = model.predictive(x[support], tensor(y[support]), x[query])
                with torch.no_grad():
                    # As test_loop: the mll (which applies the likelihood again) of likelihood(gp(z)).
                    losses.append(-model.mll(pred, tensor(y[query])).item())
            score = float(np.mean(losses))
        else:
            score = float(loss.item())
        if score < best_valid:
            best_valid, best_epoch = score, epoch
            best = copy.deepcopy(model.state_dict())
        if log_every and (epoch + 1) % log_every == 0:
            print(f"epoch {epoch + 1}: train {np.mean(train_losses):.4f} valid {score:.4f} "
                  f"best {best_valid:.4f}@{best_epoch + 1} {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr)
    meta_seconds = time.perf_counter() - t0
    meta = {"seconds": meta_seconds, "epochs": epochs, "best_epoch": best_epoch,
            "best_valid_loss": best_valid, "train_tasks": len(train), "valid_tasks": len(valid)}

    # ---- BO on the held-out task ----------------------------------------------------------
    pool = job["pool"]
    X = tensor(pool["points"])
    v = np.asarray(pool["values"], dtype=np.float64)
    y_all = (pool["maximum"] - v) / (pool["maximum"] - pool["minimum"])  # hpob_handler.normalize, maximised
    runs = {}
    for mode in s["modes"]:
        t1 = time.perf_counter()
        dk = DeepKernel(dim, 1)
        observed = list(job["initial"])[: job["budget"]]
        epochs_used = []
        while len(observed) < job["budget"]:
            pending = [i for i in range(len(v)) if i not in set(observed)]
            x_obs, y_obs = X[observed], tensor(y_all[observed])
            dk.load_state_dict(best)  # load_model=True: from the meta-trained checkpoint every step
            if mode == "mll":
                dk.train()
            epochs_used.append(finetune(dk, x_obs, y_obs, s, torch))
            pred = dk.predictive(x_obs, y_obs, X[pending])
            mu = pred.mean.numpy().astype(np.float64)
            sd = pred.stddev.numpy().astype(np.float64)
            score = expected_improvement(float(y_all[observed].max()), mu, sd)
            observed.append(pending[int(np.argmax(score))])
        runs[mode] = {"indices": [int(i) for i in observed], "bo_seconds": time.perf_counter() - t1,
                      "finetune_epochs": epochs_used}
    return {"format": FORMAT_RESULT, "task": job["task"], "seed": seed, "runs": runs, "meta": meta,
            "torch": torch.__version__, "gpytorch": gpytorch.__version__}


def finetune(dk, x, y, s, torch):
    """DeepKernelGP.train: Adam at finetune_lr on the GP and the network, at most finetune_epochs,
    patience rule with np.allclose(atol=loss_tol); the state recorded at the lowest loss (after
    that step's update, as the code records it) is loaded at the end. Returns the epochs run."""
    optimizer = torch.optim.Adam(
        [{"params": dk.gp.parameters(), "lr": s["finetune_lr"]},
         {"params": dk.net.parameters(), "lr": s["finetune_lr"]}])
    losses, best_loss, patience = [math.inf], math.inf, 0
    weights = copy.deepcopy(dk.state_dict())
    done = 0
    for _ in range(int(s["finetune_epochs"])):
        optimizer.zero_grad()
        try:
            loss = dk.loss(x, y)
            loss.backward()
            optimizer.step()
        except Exception:  # as the code: a failed step (e.g. no Cholesky) ends the fine-tuning
            break
        done += 1
        losses.append(loss.item())
        if losses[-1] < best_loss:
            best_loss = losses[-1]
            weights = copy.deepcopy(dk.state_dict())
        patience = patience + 1 if np.allclose(losses[-1], losses[-2], atol=s["loss_tol"]) else 0
        if patience > s["patience"]:
            break
    dk.load_state_dict(weights)
    return done


def expected_improvement(incumbent, mu, sd):
    """fsbo_utils.EI: (mu - f*) Phi(Z) + sd phi(Z), Z = (mu - f*) / sd (maximisation)."""
    imp = mu - incumbent
    with np.errstate(divide="ignore", invalid="ignore"):
        z = imp / sd
    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return imp * cdf + sd * pdf


if __name__ == "__main__":
    main()
