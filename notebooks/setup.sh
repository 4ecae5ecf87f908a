#!/bin/sh
# Installs what `deno task notebooks` needs, when missing (idempotent; a no-op when all is there):
# Jupyter from Debian packages (nbclient, nbconvert, the classic Notebook templates) and the Deno
# Jupyter kernel. Usage: sh notebooks/setup.sh   (needs root for apt-get when packages are missing)
set -eu

PYTHON=/usr/bin/python3
PACKAGES="jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel"

if ! "$PYTHON" -c "import nbclient, nbconvert, jupyter_client" 2>/dev/null; then
  echo "notebooks/setup.sh: installing $PACKAGES"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
fi

# The Deno binary: the one on PATH, else the npm distribution (its real path, since the kernel
# spec stores an absolute path and npx's cache path is stable).
if command -v deno >/dev/null 2>&1; then
  DENO=$(deno eval 'console.log(Deno.execPath())')
else
  DENO=$(npx -y deno@2 eval 'console.log(Deno.execPath())')
fi

SPEC="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/deno/kernel.json"
# Reinstall when the spec is missing or names a deno binary that no longer runs.
if ! "$PYTHON" - "$SPEC" <<'PY' 2>/dev/null; then
import json, os, sys
argv0 = json.load(open(sys.argv[1]))["argv"][0]
sys.exit(0 if os.access(argv0, os.X_OK) else 1)
PY
  echo "notebooks/setup.sh: installing the Deno kernel ($DENO)"
  "$DENO" jupyter --install --force >/dev/null 2>&1
fi
echo "notebooks/setup.sh: Jupyter $("$PYTHON" -c 'import nbclient; print("nbclient", nbclient.__version__)'), kernel $SPEC"
