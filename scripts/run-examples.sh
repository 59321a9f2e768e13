#!/bin/sh
# The main job: install, build, screen a synthetic county's caseload (what a
# county bureau runs civrules for) and show the summary; then evaluate the
# example households, each with its own region's bundle, as JSON lines and as
# a caseworker's text.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
sh scripts/build.sh build
civrules=build/tools/civrules/civrules
date=${CIVRULES_DATE:-2024-08-01}
echo "== a synthetic county (天河区 440106, 5000 invented households with planted errors): tools/generate"
PYTHONPATH=build/bindings/python /usr/bin/python3 tools/generate/generate_caseload.py --households 5000 \
  --seed 1 --date 2024-12-01 --from 2024-01 --to 2024-12 --region 440106 \
  --out build/county.jsonl --manifest build/county-manifest.json
echo "== civrules screen --date 2024-12-01 --from 2024-01 --to 2024-12 --html build/county.html build/county.jsonl"
$civrules screen --date 2024-12-01 --from 2024-01 --to 2024-12 --html build/county.html \
  --summary build/county-summary.json build/county.jsonl > build/county-screened.jsonl || true
echo "(one JSON line per household in build/county-screened.jsonl; the report for the bureau: build/county.html)"
echo "== the same from Python with pandas: examples/python/caseload.py --screen (Policy.screen)"
PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/caseload.py --screen --date 2024-12-01 \
  --from 2024-01 --to 2024-12 --policy policies/cn/guangdong/guangzhou build/county.jsonl || true
echo
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
