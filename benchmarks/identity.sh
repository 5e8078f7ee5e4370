#!/usr/bin/env bash
# Byte-identity check for refactors: builds the sample, a generated long book and a
# generated article to EPUB and every PDF profile, and prints the sha256 of each file.
# Run it on two commits and diff the outputs:
#   bash benchmarks/identity.sh > before.txt   (on the old commit)
#   bash benchmarks/identity.sh > after.txt    (on the new one); diff before.txt after.txt
# LONG=1 also builds a 45,000-word book (over 150 pages: its gutter is not the first
# band's); JOBS=N passes --jobs N (JOBS=1: everything in one process).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$PY benchmarks/genbook.py book "$work/long" --words 20000 --chapters 8
$PY benchmarks/genbook.py article "$work/article" --words 2500
sources=(source "$work/long" "$work/article")
if [ -n "${LONG:-}" ]; then
  $PY benchmarks/genbook.py book "$work/longer" --words 45000 --chapters 15
  sources+=("$work/longer")
fi
jobs=()
if [ -n "${JOBS:-}" ]; then jobs=(--jobs "$JOBS"); fi
for src in "${sources[@]}"; do
  $PY build.py "$src" --out "$work/out" --format epub,pdf "${jobs[@]}" \
      --pdf-profile print,kdp,ingram,offset,screen >/dev/null
done
(cd "$work/out" && sha256sum -- *.epub *.pdf | sort -k2)
