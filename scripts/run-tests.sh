#!/bin/sh
# Install, build, and run every test (GoogleTest suites, policy cases, CLI,
# export check). Extra arguments go to meson setup, e.g. -Db_sanitize=address.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
dir=${CIVRULES_BUILD:-build}
sh scripts/build.sh "$dir" -Dwerror=true "$@"
for b in policies/cn policies/cn/guangdong policies/cn/guangdong/guangzhou policies/cn/hunan \
         policies/cn/hunan/changde policies/cn/hunan/changde/jinshi policies/cn/zhejiang \
         policies/cn/zhejiang/jinhua policies/cn/zhejiang/jinhua/yiwu; do
  "$dir/tools/civrules/civrules" check "$b" >/dev/null
done
meson test -C "$dir" --print-errorlogs
