"""Tabular meta-data of scikit-learn learners on the committed PMLB datasets, for
`bench/transfer_tabular.ts`: one table of evaluated configurations per dataset, in the form that
`tabularProblems` reads (README, "Benchmarking transfer on your own tabular meta-data").

The learners are not among those of the project's meta-datasets, so their tables are tasks that
no choice of the default transfer strategy has seen. Modelled on the tabular benchmarks of
classic learners over many datasets (mlr3's rbv2 learners: Pfisterer, Schneider, Moosbauer,
Binder & Bischl 2022, "YAHPO Gym"):

- `svm`: scikit-learn's `SVC` (classification) or `SVR` (regression, epsilon 0.1 on the
  standardised target), kernel in {linear, poly, rbf}, cost 2^U(-10, 10), gamma 2^U(-10, 3),
  degree in {2, ..., 5}; gamma has no effect on the linear kernel and degree none outside poly (a
  flattened space, as the tables of such benchmarks are); libsvm stopped after 200,000 iterations.
- `glmnet`: an elastic net, `LogisticRegression(penalty="elasticnet", solver="saga")`
  (classification, C = 1 / (lambda * n_train)) or `ElasticNet` (regression, alpha = lambda), with
  alpha (the l1 ratio) U(0, 1) and lambda 2^U(-12, 3); 2,000 iterations at most.

Protocol: features standardised inside each fold (`StandardScaler` in a pipeline); datasets of
more than 1,000 rows subsampled to 1,000 rows (seeded by the dataset's name); 3-fold
cross-validation (stratified for classification), shuffled with seed 0; the value is the mean
over folds of the classification error (1 - accuracy) or of the root mean squared error divided
by the target's standard deviation. Each dataset gets its own random configurations (seeded by the
dataset's name and the learner), as in tabular benchmarks whose evaluations come from random
search, so the held-out task's pool differs from every past task's.

    /usr/bin/python3 bench/sklearn_metadata.py --learner svm --out out/sklearn/svm.json
    /usr/bin/python3 bench/sklearn_metadata.py --learner glmnet --out out/sklearn/glmnet.json

Runs on one core (BLAS threads pinned to 1); the same command gives the same file.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import ElasticNet, LogisticRegression  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC, SVR  # noqa: E402

SPACES = {
    "svm": {
        "version": 1,
        "params": [
            {"name": "kernel", "kind": "categorical", "choices": ["linear", "poly", "rbf"]},
            {"name": "cost", "kind": "float", "low": 2.0**-10, "high": 2.0**10, "log": True},
            {"name": "gamma", "kind": "float", "low": 2.0**-10, "high": 2.0**3, "log": True},
            {"name": "degree", "kind": "int", "low": 2, "high": 5},
        ],
    },
    "glmnet": {
        "version": 1,
        "params": [
            {"name": "alpha", "kind": "float", "low": 0.0, "high": 1.0},
            {"name": "lambda", "kind": "float", "low": 2.0**-12, "high": 2.0**3, "log": True},
        ],
    },
}


def seed_of(*parts):
    return zlib.crc32("/".join(parts).encode("utf-8"))


def draw_configurations(learner, dataset, count):
    rng = np.random.RandomState(seed_of("configurations", learner, dataset))
    configs = []
    for _ in range(count):
        if learner == "svm":
            configs.append({
                "kernel": ["linear", "poly", "rbf"][rng.randint(3)],
                "cost": float(2.0 ** rng.uniform(-10, 10)),
                "gamma": float(2.0 ** rng.uniform(-10, 3)),
                "degree": int(rng.randint(2, 6)),
            })
        else:
            configs.append({
                "alpha": float(rng.uniform(0, 1)),
                "lambda": float(2.0 ** rng.uniform(-12, 3)),
            })
    return configs


def estimator(learner, config, classification, n_train):
    if learner == "svm":
        common = dict(
            kernel=config["kernel"], C=config["cost"], gamma=config["gamma"],
            degree=config["degree"], max_iter=200_000, cache_size=200,
        )
        model = SVC(**common) if classification else SVR(epsilon=0.1, **common)
    elif classification:
        model = LogisticRegression(
            penalty="elasticnet", solver="saga", l1_ratio=config["alpha"],
            C=1.0 / (config["lambda"] * n_train), max_iter=2000, tol=1e-4,
        )
    else:
        model = ElasticNet(
            alpha=config["lambda"], l1_ratio=config["alpha"], max_iter=2000, tol=1e-4,
            random_state=0,
        )
    return make_pipeline(StandardScaler(), model)


def evaluate(learner, config, x, y, classification, folds):
    losses = []
    for train, test in folds:
        model = estimator(learner, config, classification, len(train))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UserWarning)
            model.fit(x[train], y[train])
            predicted = model.predict(x[test])
        if classification:
            losses.append(float(np.mean(predicted != y[test])))
        else:
            losses.append(float(np.sqrt(np.mean((predicted - y[test]) ** 2))))
    value = float(np.mean(losses))
    return value if np.isfinite(value) else None


def load(pmlb_dir, name, task, max_rows):
    frame = pd.read_csv(os.path.join(pmlb_dir, name + ".tsv.gz"), sep="\t")
    x = frame.drop(columns=["target"]).to_numpy(dtype=np.float64)
    y = frame["target"].to_numpy()
    if len(y) > max_rows:
        rows = np.sort(
            np.random.RandomState(seed_of("rows", name)).choice(len(y), max_rows, replace=False)
        )
        x, y = x[rows], y[rows]
    classification = task == "classification"
    if not classification:
        y = y.astype(np.float64)
        y = (y - y.mean()) / y.std()
    return x, y, classification


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learner", choices=sorted(SPACES), required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--pmlb-dir", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "datasets", "pmlb"))
    parser.add_argument("--configurations", type=int, default=100)
    parser.add_argument("--max-rows", type=int, default=1000)
    parser.add_argument("--datasets", default="", help="comma-separated names (default: all)")
    args = parser.parse_args()

    index = pd.read_csv(os.path.join(args.pmlb_dir, "index.tsv"), sep="\t")
    names = sorted(index["name"]) if not args.datasets else args.datasets.split(",")
    started = time.time()
    tasks = []
    for name in names:
        task = index.loc[index["name"] == name, "task"].item()
        x, y, classification = load(args.pmlb_dir, name, task, args.max_rows)
        splitter = (StratifiedKFold if classification else KFold)(3, shuffle=True, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            folds = list(splitter.split(x, y))
        t0 = time.time()
        rows = [
            {"params": config, "value": evaluate(args.learner, config, x, y, classification, folds)}
            for config in draw_configurations(args.learner, name, args.configurations)
        ]
        tasks.append({"id": name, "rows": rows})
        print(f"{name}: {len(rows)} configurations, {time.time() - t0:.1f} s", file=sys.stderr)
    document = {
        "learner": args.learner,
        "space": SPACES[args.learner],
        "direction": "minimize",
        "metric": "3-fold cross-validated classification error, or RMSE / sd(target)",
        "generator": {
            "command": " ".join(["bench/sklearn_metadata.py"] + sys.argv[1:]),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scikit-learn": sklearn.__version__,
            "configurations": args.configurations,
            "max_rows": args.max_rows,
        },
        "tasks": tasks,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as handle:
        json.dump(document, handle, separators=(",", ":"), sort_keys=True)
        handle.write("\n")
    print(f"{len(tasks)} datasets in {time.time() - started:.0f} s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
