#!/usr/bin/env python3
"""`meson install` into a temporary prefix, used as a county developer would
(TAP output):

- the C example builds against the installed library with pkg-config and
  runs;
- the installed `civrules` finds the installed policies by default (found
  relative to itself, so a moved prefix still works), and `--help`;
- the man page, the bash completion and the Java jar are where the tools
  that read them look;
- the installed Python package loads the installed default policy.

    test_install.py BUILD_DIR SOURCE_ROOT
"""
import atexit
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

build, src = sys.argv[1:3]
count = failures = 0


def check(name, ok, detail=""):
    global count, failures
    count += 1
    print(f"{'ok' if ok else 'not ok'} - {name}", flush=True)
    if not ok:
        failures += 1
        for line in str(detail).splitlines()[-40:]:
            print(f"# {line}")


def run(*cmd, env=None, cwd=None):
    p = subprocess.run(list(cmd), capture_output=True, text=True, env=env, cwd=cwd or work, timeout=600)
    return p.returncode, p.stdout, p.stderr


# outside the build tree: a command in its build tree uses the source tree's policies
work = tempfile.mkdtemp(prefix="civrules-install-")
atexit.register(shutil.rmtree, work, True)
dest = os.path.join(work, "dest")
rc, out, err = run("meson", "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", dest)
check("meson install --destdir", rc == 0, out + err)
# move the installed tree to another prefix: what is found must be found relative to it
prefixes = glob.glob(os.path.join(dest, "**", "bin", "civrules"), recursive=True)
check("the command is installed", len(prefixes) == 1, prefixes)
old_prefix = os.path.dirname(os.path.dirname(prefixes[0]))
prefix = os.path.join(work, "prefix")
shutil.move(old_prefix, prefix)

pcs = glob.glob(os.path.join(prefix, "**", "pkgconfig", "civrules.pc"), recursive=True)
check("civrules.pc is installed", len(pcs) == 1, pcs)
libdir = os.path.dirname(os.path.dirname(pcs[0])) if pcs else prefix
env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]) if pcs else "",
           LD_LIBRARY_PATH=libdir + ":" + os.environ.get("LD_LIBRARY_PATH", ""))
env.pop("CIVRULES_POLICY", None)
# a sanitizer build: programs not built with the sanitizer that load the
# library need its runtimes first (meson passes them as CIVRULES_PRELOAD)
preload = dict(env, LD_PRELOAD=os.environ["CIVRULES_PRELOAD"], ASAN_OPTIONS="detect_leaks=0") \
    if os.environ.get("CIVRULES_PRELOAD") else env
# the .pc names the prefix meson was set up with: redefine it to the moved one
rc, flags, err = run("pkg-config", "--define-variable=prefix=" + prefix, "--cflags", "--libs", "civrules", env=env)
check("pkg-config --cflags --libs civrules", rc == 0 and "-lcivrules" in flags, flags + err)
exe = os.path.join(work, "evaluate")
cc = os.environ.get("CC", "cc")
rc, out, err = run(cc, "-std=c11", "-Wall", "-Werror", "-o", exe, os.path.join(src, "examples/c/evaluate.c"),
                   *flags.split(), env=env)
check("examples/c/evaluate.c builds against the installed library", rc == 0, out + err)
policies = os.path.join(prefix, "share", "civrules", "policies")
rc, out, err = run(exe, os.path.join(policies, "cn/hunan/changde/jinshi"), "2024-08-01", env=preload)
check("and runs on an installed bundle", rc == 0 and "dibao" in out, out + err)

cli = os.path.join(prefix, "bin", "civrules")
rc, out, err = run(cli, "--version", env=env)
check("the installed command names the installed policies as its default root",
      rc == 0 and f"default policy root: {os.path.realpath(policies)}\n" in out
      and "  cn/guangdong/guangzhou 2024.1, regions 440100" in out, out + err)
rc, out, err = run(cli, "eval", "--date=2024-08-01", os.path.join(src, "examples/households/gz-family.json"), env=env)
check("civrules eval --date=2024-08-01 uses it", rc == 0 and '"total_monthly":"2846.00"' in out, out + err)
rc, out, err = run(cli, "eval", "--help", env=env)
check("civrules eval --help", rc == 0 and out.startswith("usage: civrules eval"), out + err)

man = os.path.join(prefix, "share", "man", "man1", "civrules.1")
check("the man page is installed in man1", os.path.isfile(man), man)
if os.path.isfile(man) and shutil.which("man"):
    rc, out, err = run("man", "-l", "-Tutf8", man, env=dict(env, MANWIDTH="80"))
    out = re.sub(".\b", "", out)  # bold and underline by overstriking
    check("man renders it", rc == 0 and "EXIT STATUS" in out and "civrules eval" in out, out[-2000:] + err)
    # and `man civrules` finds it by name under the prefix
    rc, out, err = run("man", "-Tutf8", "civrules", env=dict(env, MANWIDTH="80",
                                                           MANPATH=os.path.join(prefix, "share", "man")))
    out = re.sub(".\b", "", out)
    check("man civrules", rc == 0 and "civrules screen" in out and "civrules diff" in out, out[-2000:] + err)
completion = glob.glob(os.path.join(prefix, "share", "bash-completion", "completions", "civrules"))
check("the bash completion is installed", len(completion) == 1, completion)
if completion:
    script = (f"source {completion[0]}; COMP_WORDS=({cli} ev); COMP_CWORD=1; _civrules 2>/dev/null; "
              'printf "%s\\n" "${COMPREPLY[@]}"')
    rc, out, err = run("bash", "-c", script, env=env)
    check("it completes verbs", out.split() == ["eval"], out + err)
    script = (f"source {completion[0]}; complete -p civrules; COMP_WORDS=({cli} ''); COMP_CWORD=1; "
              '_civrules 2>/dev/null; printf "%s\\n" "${COMPREPLY[@]}"; '
              f"COMP_WORDS=({cli} screen --su); COMP_CWORD=2; _civrules 2>/dev/null; "
              'printf "%s\\n" "${COMPREPLY[@]}"')
    rc, out, err = run("bash", "-c", script, env=env)
    check("every verb, screen's and diff's included, and their options",
          out.splitlines()[0] == "complete -o filenames -F _civrules civrules" and out.splitlines()[1:] == ["eval", "screen", "check", "test", "diff", "version", "help", "--help", "--version",
                             "--summary="], out + err)

jars = glob.glob(os.path.join(prefix, "share", "java", "civrules.jar"))
if os.path.isfile(os.path.join(build, "bindings", "java", "civrules.jar")):
    check("the jar is installed in share/java", len(jars) == 1, jars)

pkgs = glob.glob(os.path.join(prefix, "lib", "**", "civrules", "__init__.py"), recursive=True)
if os.path.isdir(os.path.join(build, "bindings", "python", "civrules")):
    check("the Python package is installed", len(pkgs) == 1, pkgs)
    if pkgs:
        penv = dict(preload, PYTHONPATH=os.path.dirname(os.path.dirname(pkgs[0])))
        rc, out, err = run("/usr/bin/python3", "-c",
                           "import civrules; p = civrules.Policy.load(); print(p.id, civrules.default_policy_path())",
                           env=penv)
        check("it loads the installed default policy",
              rc == 0 and out.startswith("cn/guangdong/guangzhou " + os.path.realpath(policies))
              or out.startswith("cn/guangdong/guangzhou " + policies), out + err)

print(f"1..{count}")
sys.exit(1 if failures else 0)
