"""Runs a peer runner of the shared peers folder on more test functions: adds rosenbrock4,
styblinski-tang4 and goldstein-price (unit-cube form, minimisation, as lib/tasks/synthetic) to the
peers' `synthetic.FUNCS`, then runs the peer script with the remaining arguments.
With `--minima JSON` (an object: function name -> global minimum, as lib/tasks/synthetic gives
them), the peers' regrets are measured from those minima instead of the peers' own, which for
Branin and Hartmann-3/6 are rounded published values (0.397887, -3.86278, -3.32237: below the
exact minima by 3.6e-7, 2.1e-7 and 2.0e-6, so regrets from them are larger by as much).
usage: /usr/bin/python3 more_functions.py --peers-dir ../../../shared/peers [--minima JSON] botorch_peer.py --budget 50 ...
"""
import json, os, runpy, sys
import numpy as np

args = sys.argv[1:]
if len(args) < 3 or args[0] != "--peers-dir":
    sys.exit(__doc__)
peers_dir, args = os.path.abspath(args[1]), args[2:]
minima = {}
if args[:1] == ["--minima"]:
    if len(args) < 3:
        sys.exit(__doc__)
    minima = json.loads(args[1])
    if not isinstance(minima, dict) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in minima.values()
    ):
        sys.exit("--minima: expected a JSON object of function name -> finite number")
    args = args[2:]
script, rest = args[0], args[1:]
sys.path.insert(0, peers_dir)
import synthetic  # noqa: E402  (the peers' functions)

def rosenbrock4(u):
    x = -5 + 15 * np.asarray(u)
    return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (x[:-1] - 1) ** 2))

def styblinski_tang4(u):
    x = -5 + 10 * np.asarray(u)
    return float(0.5 * np.sum(x**4 - 16 * x**2 + 5 * x))

def goldstein_price(u):
    x1, x2 = -2 + 4 * np.asarray(u)
    a = 1 + (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1**2 - 14 * x2 + 6 * x1 * x2 + 3 * x2**2)
    b = 30 + (2 * x1 - 3 * x2) ** 2 * (18 - 32 * x1 + 12 * x1**2 + 48 * x2 - 36 * x1 * x2 + 27 * x2**2)
    return float(a * b)

ST_ARGMIN = -2.903534027771177
synthetic.FUNCS.update({
    "rosenbrock4": (rosenbrock4, 4, 0.0),
    "styblinski-tang4": (styblinski_tang4, 4, 4 * 0.5 * (ST_ARGMIN**4 - 16 * ST_ARGMIN**2 + 5 * ST_ARGMIN)),
    "goldstein-price": (goldstein_price, 2, 3.0),
})
# A function the peers lack keeps no minimum here: the peer reports it unknown when run on it.
for name, minimum in minima.items():
    if name in synthetic.FUNCS:
        fn, dim, _ = synthetic.FUNCS[name]
        synthetic.FUNCS[name] = (fn, dim, float(minimum))
sys.argv = [os.path.join(peers_dir, script), *rest]
runpy.run_path(sys.argv[0], run_name="__main__")
