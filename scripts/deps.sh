#!/bin/sh
# Install what civrules needs from Debian 12's packages (as root). Skips the
# download when everything is already there. (locales: the en_US source that
# tests/hooks compiles with localedef to show hooks ignore the host locale.)
set -eu
pkgs="
  build-essential
  pkg-config
  meson
  ninja-build
  libyaml-dev
  liblua5.4-dev
  libgtest-dev
  swig
  python3-dev
  python3-pytest
  python3-yaml
  python3-pandas
  python3-venv
  python3-mesonpy
  patchelf
  default-jdk-headless
  junit5
  scdoc
  python3-dask
  python3-distributed
  chromium
  fonts-noto-cjk
  locales
"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
