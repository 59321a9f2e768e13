#!/bin/sh
# The main job: install, build, and evaluate the example households with the
# bundled default policy (Guangzhou), as JSON lines and as a caseworker's text.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh build
civrules=build/tools/civrules/civrules
date=${CIVRULES_DATE:-2024-08-01}
echo "== civrules eval --date $date examples/households/*.json examples/households/batch.jsonl"
$civrules eval --date "$date" examples/households/*.json examples/households/batch.jsonl || true
echo
echo "== civrules eval --format text --date $date examples/households/gz-marginal.json"
$civrules eval --format text --date "$date" examples/households/gz-marginal.json
echo "== a C program using the builder API (examples/c/evaluate.c)"
build/examples/evaluate policies/cn/hunan/changde/jinshi "$date"
echo "== the same from Python: examples/python/caseload.py on a CSV caseload"
PYTHONPATH=build/bindings/python python3 examples/python/caseload.py --date "$date" examples/python/caseload.csv
echo "== a Lua hook: Yiwu checks identity numbers before granting dibao (m2's check character is wrong)"
$civrules eval --policy policies/cn/zhejiang/jinhua/yiwu --format text --date 2023-06-01 examples/households/yw-identity.json || true
