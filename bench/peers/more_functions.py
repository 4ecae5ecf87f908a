"""Runs a peer runner of the shared peers folder on more test functions: adds rosenbrock4,
styblinski-tang4 and goldstein-price (unit-cube form, minimisation, as lib/tasks/synthetic) to the
peers' `synthetic.FUNCS`, then runs the peer script with the remaining arguments.
usage: /usr/bin/python3 more_functions.py --peers-dir ../../../shared/peers botorch_peer.py --budget 50 ...
"""
import os, runpy, sys
import numpy as np

args = sys.argv[1:]
if len(args) < 3 or args[0] != "--peers-dir":
    sys.exit(__doc__)
peers_dir, script, rest = os.path.abspath(args[1]), args[2], args[3:]
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
sys.argv = [os.path.join(peers_dir, script), *rest]
runpy.run_path(sys.argv[0], run_name="__main__")
