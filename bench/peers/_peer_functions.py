"""The shared PyTorch MAML peer's (`maml_torch_peer.py`) own code, taken from its source without
running its training loop: its functions by name, and its evaluation statements (from
`torch.manual_seed(1)` up to the final `print`) to run on other parameters."""
import ast, contextlib, math

import torch


def _peer_tree(peers_dir):
    path = f"{peers_dir}/maml_torch_peer.py"
    with open(path) as fh:
        return path, ast.parse(fh.read(), path)


def peer_functions(peers_dir, names):
    """The peer's top-level functions `names`, defined in a namespace where `lrs` (its learned
    Meta-SGD rates) is None, as for MAML and first-order MAML."""
    path, tree = _peer_tree(peers_dir)
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in names]
    if sorted(fn.name for fn in found) != sorted(names):
        raise SystemExit(f"{path}: expected functions {sorted(names)}, found {[fn.name for fn in found]}")
    namespace = {"torch": torch, "math": math, "lrs": None}
    exec(compile(ast.Module(body=found, type_ignores=[]), path, "exec"), namespace)
    return [namespace[n] for n in names]


def _is_eval_seed(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute) and node.value.func.attr == "manual_seed"
            and len(node.value.args) == 1 and isinstance(node.value.args[0], ast.Constant)
            and node.value.args[0].value == 1)


def peer_evaluation(peers_dir):
    """The peer's evaluation statements, compiled: run them with `exec(code, namespace)` where the
    namespace holds the peer's functions and `ps` (the parameters to evaluate); they leave the
    peer's `res` ({"k5_steps1": [mean, ci95], ...}) in the namespace."""
    path, tree = _peer_tree(peers_dir)
    start = next((i for i, n in enumerate(tree.body) if _is_eval_seed(n)), None)
    end = next((i for i, n in enumerate(tree.body) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                and isinstance(n.value.func, ast.Name) and n.value.func.id == "print"), None)
    if start is None or end is None or end <= start:
        raise SystemExit(f"{path}: no evaluation block (torch.manual_seed(1) … print) found")
    body = tree.body[start:end]
    if not any(isinstance(n, ast.For) for n in body):
        raise SystemExit(f"{path}: the evaluation block has no loop")
    return compile(ast.Module(body=body, type_ignores=[]), path, "exec")


@contextlib.contextmanager
def recorded_task_losses():
    """While active, records each list of 600 per-task losses the peer passes to `torch.tensor`
    (one per (K, steps) of its evaluation, in order) into the list it yields."""
    captured = []
    original = torch.tensor

    def recording_tensor(data, *a, **k):
        if isinstance(data, list) and len(data) == 600 and all(isinstance(v, float) for v in data):
            captured.append(list(data))
        return original(data, *a, **k)

    torch.tensor = recording_tensor
    try:
        yield captured
    finally:
        torch.tensor = original
