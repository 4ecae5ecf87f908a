"""Optuna (TPE or random) driven over a pipe, so that a benchmark written in Deno can run Optuna on
any of its problems (conditional spaces, tables, trained models) with the objective evaluated on
the Deno side. Define-by-run: each trial suggests the parameters of a metahpo space JSON in order,
a conditional parameter (a `when` field) only when its parents hold the listed values, so inactive
parameters are never suggested (Optuna's native conditional spaces).

Protocol (one JSON object per line):
  stdin, first line: {"space": <Space.toJSON()>, "seeds": [0, 1, ...], "budget": 50,
                      "sampler": "tpe" | "random"}
  stdout, per trial: {"seed": s, "trial": i, "params": {...}}   (only the active parameters)
  stdin, reply:      {"value": v}  (null or a non-finite value: the trial failed)
  stdout, per seed:  {"seed": s, "done": true, "seconds": optuna seconds (objective excluded)}
usage: /usr/bin/python3 optuna_asktell.py   (Optuna 3.1 from Debian's python3-optuna)
"""
import json, logging, math, sys, time
import optuna

optuna.logging.set_verbosity(logging.WARNING)


def holds(condition, values):
    for parent, allowed in condition.items():
        if parent not in values:
            return False
        options = allowed if isinstance(allowed, list) else [allowed]
        if values[parent] not in options:
            return False
    return True


def suggest(trial, params):
    values = {}
    pending = list(params)
    # Parents may be listed after their children: sweep until nothing changes.
    while pending:
        progressed = False
        rest = []
        for p in pending:
            cond = p.get("when")
            if cond is not None and not all(parent in values or parent in dropped for parent in cond):
                rest.append(p)
                continue
            progressed = True
            if cond is not None and not holds(cond, values):
                dropped.add(p["name"])
                continue
            name, kind = p["name"], p["kind"]
            if kind == "float":
                values[name] = trial.suggest_float(name, p["low"], p["high"], log=bool(p.get("log")), step=p.get("step"))
            elif kind == "int":
                values[name] = trial.suggest_int(name, p["low"], p["high"], log=bool(p.get("log")), step=p.get("step", 1))
            elif kind == "categorical":
                values[name] = trial.suggest_categorical(name, p["choices"])
            else:  # fixed
                values[name] = p["value"]
        if not progressed:
            raise ValueError(f"unresolvable conditions: {[p['name'] for p in rest]}")
        pending = rest
    return values


def main():
    global dropped
    setup = json.loads(sys.stdin.readline())
    params = setup["space"]["params"]
    for seed in setup["seeds"]:
        sampler = (optuna.samplers.TPESampler(seed=seed) if setup.get("sampler", "tpe") == "tpe"
                   else optuna.samplers.RandomSampler(seed=seed))
        study = optuna.create_study(sampler=sampler)
        spent = 0.0
        for i in range(setup["budget"]):
            t0 = time.perf_counter()
            trial = study.ask()
            dropped = set()
            values = suggest(trial, params)
            spent += time.perf_counter() - t0
            print(json.dumps({"seed": seed, "trial": i, "params": values}), flush=True)
            reply = json.loads(sys.stdin.readline())
            value = reply.get("value")
            t0 = time.perf_counter()
            if value is None or not math.isfinite(value):
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
            else:
                study.tell(trial, value)
            spent += time.perf_counter() - t0
        print(json.dumps({"seed": seed, "done": True, "seconds": spent}), flush=True)


dropped = set()
if __name__ == "__main__":
    main()
