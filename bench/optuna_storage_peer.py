"""Optuna's RDB storage overhead per trial on SQLite, next to its in-memory storage.

Runs `study.optimize` with the random sampler and a trivial objective for --trials trials, once
with in-memory storage and once with `sqlite:///<tmp file>` (SQLAlchemy, Optuna's defaults), and
prints one JSON line with the seconds per trial of each and their difference (the storage
overhead). Usage: python3 optuna_storage_peer.py --trials 200 [--reps 3]
"""
import argparse
import json
import os
import statistics
import tempfile
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    x = trial.suggest_float("x", -3, 3)
    y = trial.suggest_float("y", 1e-3, 10, log=True)
    k = trial.suggest_int("k", 0, 1000)
    c = trial.suggest_categorical("c", ["red", "green", "blue"])
    return (x - 0.5) ** 2 + y + k / 1000 + len(c)


def run(storage, trials, seed):
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed))
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    return (time.perf_counter() - start) / trials


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    memory, sqlite = [], []
    for rep in range(args.reps):
        memory.append(run(None, args.trials, rep))
        with tempfile.TemporaryDirectory() as tmp:
            sqlite.append(run(f"sqlite:///{os.path.join(tmp, 'optuna.db')}", args.trials, rep))
    m, s = statistics.median(memory), statistics.median(sqlite)
    print(json.dumps({
        "optuna": optuna.__version__,
        "trials": args.trials,
        "memory_seconds_per_trial": m,
        "sqlite_seconds_per_trial": s,
        "overhead_seconds_per_trial": s - m,
    }))


if __name__ == "__main__":
    main()
