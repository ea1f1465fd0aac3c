#!/usr/bin/env sh
# Speed and memory of the analysis package (issue 3 acceptance): the ratio of tag + redact +
# alert to a bare nlp.pipe over 20,000 generated texts (must be >= 0.8), then the peak memory of
# streaming 100,000 texts through `tag` (must stay under 600 MB). Each runs in its own process so
# that ru_maxrss measures only that run. Run on an otherwise idle machine.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" -m analysis bench --n "${N:-20000}"
"$PY" -m analysis bench --stream "${STREAM:-100000}"
