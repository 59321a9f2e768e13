#!/usr/bin/env python3
"""The Python package as a user installs it (TAP output).

    test_package.py SOURCE_ROOT WORK_DIR JUNIT_XML

1. `pip install .` (offline, no build isolation: Debian's python3-mesonpy)
   into a clean virtual environment with --system-site-packages (pandas,
   pytest), then the Python tests against that installed package, from a
   folder outside the source tree.
2. `pip wheel .`, installed into a clean virtual environment without system
   packages (so without pandas): evaluating, batches, caseload readers,
   the frame helper's ImportError, the default policy and the `civrules`
   command from the wheel. Again with the machine's other python3 (pyenv),
   when there is one.
"""
import os
import shutil
import subprocess
import sys

SRC, WORK, JUNIT = sys.argv[1], sys.argv[2], sys.argv[3]
DEBIAN_PY = "/usr/bin/python3"
count = failures = 0


def check(name, ok, detail=""):
    global count, failures
    count += 1
    print(f"{'ok' if ok else 'not ok'} - {name}", flush=True)
    if not ok:
        failures += 1
        for line in str(detail).splitlines()[-60:]:
            print(f"# {line}")


# the package's own environment: nothing from the build tree or a sanitizer build
ENV = {k: v for k, v in os.environ.items()
       if k not in ("PYTHONPATH", "LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS", "CIVRULES_SANITIZED",
                    "CIVRULES_POLICY", "PYTHONHOME")}
ENV["PIP_NO_INDEX"] = "1"
ENV["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"


def run(*cmd, cwd=None, env=None, timeout=900):
    p = subprocess.run(list(cmd), cwd=cwd or WORK, env=env or ENV, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def venv(name, python, system_site):
    path = os.path.join(WORK, name)
    shutil.rmtree(path, ignore_errors=True)
    args = [python, "-m", "venv", path] + (["--system-site-packages"] if system_site else [])
    rc, out = run(*args)
    check(f"{name}: python -m venv{' --system-site-packages' if system_site else ''}", rc == 0, out)
    return os.path.join(path, "bin", "python")


os.makedirs(WORK, exist_ok=True)
# (no kept build folder: meson-python 0.12 cannot set up a new one it is given)
pip_build = ["--no-build-isolation", "--no-deps"]

# ---- 1. pip install . with pandas, then the Python tests ------------------------------------
py = venv("venv-debian", DEBIAN_PY, system_site=True)
rc, out = run(py, "-m", "pip", "install", *pip_build, SRC)
check("pip install . (offline, no build isolation)", rc == 0, out)
rc, out = run(py, "-c", "import civrules, sys; print(civrules.__file__)")
check("the installed package is the one imported", rc == 0 and out.startswith(os.path.join(WORK, "venv-debian")),
      out)
env = dict(ENV, CIVRULES_SOURCE_ROOT=SRC)
rc, out = run(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", JUNIT,
              os.path.join(SRC, "bindings", "python", "tests"), env=env)
check("the Python tests pass against the installed package (pandas present)", rc == 0, out)

# ---- 2. pip wheel ., installed without pandas ---------------------------------------------
wheels = os.path.join(WORK, "wheels")
shutil.rmtree(wheels, ignore_errors=True)
rc, out = run(py, "-m", "pip", "wheel", *pip_build, "-w", wheels, SRC)
built = [f for f in os.listdir(wheels)] if os.path.isdir(wheels) else []
check("pip wheel .", rc == 0 and len(built) == 1 and built[0].endswith(".whl"), out)

SMOKE = r'''
import decimal, os, subprocess, sys
import civrules
from civrules import caseload
try:
    import pandas
    print("pandas is importable here"); sys.exit(3)
except ImportError:
    pass
src = sys.argv[1]
assert civrules.__file__.startswith(sys.prefix), civrules.__file__
# the default policy comes with the wheel
policy = civrules.Policy.load()
assert policy.id == "cn/guangdong/guangzhou", policy.id
assert civrules.default_policy_path().startswith(sys.prefix), civrules.default_policy_path()
# 1282 - 100 (Guangzhou 2024 standard, 民发〔2021〕57号 第十四条)
h = {"id": "E1", "residence": "urban", "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": False,
     "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
     "income": [{"member": "a", "kind": "pension", "monthly": "100"}], "assets": {"financial": "0"}}
assert policy.evaluate(h, date="2024-08-01")["total_monthly"] == decimal.Decimal("1182.00")
out = list(policy.evaluate_many([h, "{bad", h], date="2024-08-01", threads=2))
assert [r.get("error", {}).get("id") for r in out] == [None, "CIVR-1015", None], out
households, problems = caseload.read_caseload(os.path.join(src, "examples/python/caseload.csv"))
table, errors = caseload.summarise(policy.evaluate_many(households, date="2024-08-01"))
assert table["dibao"]["monthly"] == decimal.Decimal("1564.00") and not errors and not problems
try:
    policy.evaluate_frame([], date="2024-08-01")
    sys.exit(4)
except ImportError as e:
    assert "python3-pandas" in str(e)
try:
    civrules.Policy.load("/no/such/bundle")
    sys.exit(5)
except FileNotFoundError as e:
    assert e.filename == "/no/such/bundle"
# the command from the wheel finds the wheel's policies
cli = os.path.join(sys.prefix, "bin", "civrules")
p = subprocess.run([cli, "--version"], capture_output=True, text=True)
assert p.returncode == 0 and "default policy root: " in p.stdout and sys.prefix in p.stdout \
    and "cn/guangdong/guangzhou 2024.1, regions 440100" in p.stdout, p.stdout
p = subprocess.run([cli, "eval", "--date=2024-08-01", os.path.join(src, "examples/households/gz-family.json")],
                   capture_output=True, text=True)
assert p.returncode == 0 and '"total_monthly":"2846.00"' in p.stdout, p.stdout + p.stderr
print("smoke ok")
'''

interpreters = [("debian", DEBIAN_PY)]
other = shutil.which("python3", path=ENV.get("PATH", ""))
if other and os.path.realpath(other) != os.path.realpath(DEBIAN_PY):
    rc, out = run(other, "-c", "import sys; print(sys.version_info[:2])")
    if rc == 0 and out.strip() == "(3, 11)":
        interpreters.append(("other", other))
if len(interpreters) == 1:
    print("# no second python3 3.11 on PATH: the wheel is checked with Debian's only")
for name, python in interpreters:
    vpy = venv(f"venv-{name}-plain", python, system_site=False)
    rc, out = run(vpy, "-m", "pip", "install", "--no-deps", *[os.path.join(wheels, w) for w in built])
    check(f"{name} python3 ({python}): pip install the wheel into a venv without pandas", rc == 0, out)
    rc, out = run(vpy, "-c", SMOKE, SRC, cwd=WORK)
    check(f"{name} python3: evaluate, batches, caseloads, FileNotFoundError, no pandas, the CLI",
          rc == 0 and "smoke ok" in out, out)

print(f"1..{count}")
sys.exit(1 if failures else 0)
