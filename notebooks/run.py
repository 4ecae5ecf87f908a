#!/usr/bin/python3
"""Executes metahpo's notebooks with the real Deno Jupyter kernel and renders them to HTML.

Usage: /usr/bin/python3 notebooks/run.py [NOTEBOOK.ipynb ...] [--out DIR] [--timeout SECONDS]

Without arguments it runs every notebooks/*.ipynb in name order. Executed copies and HTML
renderings go to notebooks/.executed/ (git-ignored). The exit status is 0 when every notebook ran
without a cell error, 1 otherwise (each failure names the notebook and the cell), 2 when Jupyter or
the Deno kernel is missing or a notebook given is not a file (then none runs).

Why not `jupyter nbconvert --execute`: nbclient stops reading a cell's outputs at the kernel's
`idle` status, and the Deno kernel may publish display data after it, so outputs get lost. This
runner keeps reading iopub for a grace period after `idle` and also files late messages under the
cell they belong to.
"""

import argparse
import sys
import time
from pathlib import Path
from queue import Empty

try:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionComplete, CellExecutionError
    from nbclient.util import ensure_async
    from nbconvert import HTMLExporter
except ImportError as missing:  # pragma: no cover - depends on the machine
    print(f"notebooks: Jupyter is not installed ({missing}); see notebooks/setup.sh", file=sys.stderr)
    sys.exit(2)

NOTEBOOKS_DIR = Path(__file__).resolve().parent
KERNEL_NAME = "deno"
# Seconds of iopub silence after `idle` before a cell is considered complete.
GRACE_SECONDS = 0.5
# Upper bound of the grace period, however chatty the kernel stays.
GRACE_LIMIT_SECONDS = 10.0


class LateOutputClient(NotebookClient):
    """A NotebookClient that does not lose outputs published after the kernel's idle status."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # parent msg_id -> (cell, index) of every executed cell, so that a message arriving after
        # its cell was closed still lands in the right place.
        self._cells_by_msg_id = {}

    def _file_late(self, msg) -> bool:
        """Adds a message of an already closed cell to that cell; True when it was one."""
        owner = self._cells_by_msg_id.get(msg["parent_header"].get("msg_id"))
        if owner is None or msg["msg_type"] == "status":
            return owner is not None
        cell, index = owner
        try:
            self.process_message(msg, cell, index)
        except CellExecutionComplete:
            pass
        return True

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        self._cells_by_msg_id[parent_msg_id] = (cell, cell_index)
        idle_at = None
        while True:
            if idle_at is None:
                timeout = None
            else:
                timeout = min(GRACE_SECONDS, idle_at + GRACE_LIMIT_SECONDS - time.monotonic())
                if timeout <= 0:
                    return
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=timeout))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                self._file_late(msg)
                continue
            if idle_at is not None and msg["msg_type"] == "status":
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle_at = time.monotonic()


def error_outputs(nb):
    """(cell index, text) of every error output, in case a kernel reports an error as output only."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append((index, f"{output.get('ename')}: {output.get('evalue')}"))
    return found


def run_notebook(path: Path, out_dir: Path, timeout: int) -> tuple[bool, str]:
    nb = nbformat.read(path, as_version=4)
    client = LateOutputClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=timeout,
        iopub_timeout=int(GRACE_LIMIT_SECONDS) + 5,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.monotonic()
    failure = None
    try:
        client.execute()
    except CellExecutionError as error:
        failure = str(error)
    except Exception as error:  # a dead kernel, a timeout: still write what ran
        failure = f"{type(error).__name__}: {error}"
    seconds = time.monotonic() - start
    if failure is None:
        errors = error_outputs(nb)
        if errors:
            failure = "; ".join(f"cell {i}: {text}" for i, text in errors)
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    nbformat.write(nb, executed)
    html, _ = HTMLExporter().from_notebook_node(nb)
    executed.with_suffix(".html").write_text(html, encoding="utf-8")
    if failure is not None:
        return False, f"{path.name} FAILED after {seconds:.1f} s\n{failing_cell(nb, failure)}"
    return True, f"{path.name} ok in {seconds:.1f} s -> {executed.with_suffix('.html')}"


def failing_cell(nb, failure: str) -> str:
    """The failure text, preceded by the index and first source line of the cell that failed."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        if any(o.get("output_type") == "error" for o in outputs):
            first = (cell.source.strip().splitlines() or [""])[0]
            return f"cell {index} ({first!r}):\n{failure}"
    return failure


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=NOTEBOOKS_DIR / ".executed")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    if not paths:
        print("notebooks: no notebooks found", file=sys.stderr)
        return 2
    # Checked before anything runs: status 1 is for cell errors only.
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print(f"notebooks: no such notebook file: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        print("notebooks: the Deno kernel is not installed (run `deno jupyter --install`)",
              file=sys.stderr)
        return 2
    failures = 0
    for path in paths:
        ok, message = run_notebook(path.resolve(), args.out, args.timeout)
        print(message, flush=True)
        failures += not ok
    print(f"{len(paths) - failures} notebooks passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
