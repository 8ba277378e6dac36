#!/usr/bin/env bash
# Installs the Python package (python/, `pip install ./python`) with pytest in
# a throwaway virtualenv and runs its tests against the real edgesim binary.
#
#   Scripts/python-check.sh                 # builds edgesim first if needed
#   EDGESIM=/path/to/edgesim Scripts/python-check.sh
#
# The binary is $EDGESIM when set, else $(swift build --show-bin-path)/edgesim,
# built with `swift build --product edgesim` when absent. Python 3 with venv is
# installed with apt-get when missing (root on Debian, as in CI); pandas and
# pytest come from PyPI. Nothing EdgeSim's Swift build or tests need is here.
set -euo pipefail
cd "$(dirname "$0")/.."
repository="$(pwd)"

if [ -z "${EDGESIM:-}" ]; then
  EDGESIM="$(swift build --show-bin-path)/edgesim"
  if [ ! -x "$EDGESIM" ]; then
    echo "== building edgesim ($EDGESIM is absent)"
    swift build --product edgesim
  fi
fi
if [ ! -x "$EDGESIM" ]; then
  echo "python-check: $EDGESIM is not an executable edgesim" >&2
  exit 1
fi
EDGESIM="$(cd "$(dirname "$EDGESIM")" && pwd)/$(basename "$EDGESIM")"
export EDGESIM

work="$(mktemp -d "${TMPDIR:-/tmp}/edgesim-python.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Debian's python3 lacks the venv module (and ensurepip) until python3-venv is
# installed.
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m venv "$work/probe" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing python3 and python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv >/dev/null
  else
    echo "python-check: needs python3 with the venv module (Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
python3 --version

echo "== pip install ./python pytest (virtualenv in $work)"
# From a copy of the package's files (what an sdist holds), so that nothing is
# built inside the checkout and no stale python/build/ is installed.
mkdir "$work/python"
cp -R python/pyproject.toml python/README.md python/edgesim "$work/python/"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$work/python" pytest
"$work/venv/bin/python" -c 'import edgesim, pandas; print("edgesim", edgesim.__version__, "from", edgesim.__file__, "; pandas", pandas.__version__)'

echo "== pytest python/tests (EDGESIM=$EDGESIM)"
# Run from the temporary folder so that the installed package, not the source
# folder, is imported; leave no cache or bytecode in the checkout.
cd "$work"
PYTHONDONTWRITEBYTECODE=1 "$work/venv/bin/pytest" -q -p no:cacheprovider "$repository/python/tests"
