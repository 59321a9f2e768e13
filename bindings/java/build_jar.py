#!/usr/bin/env python3
"""Compile Java sources and pack a jar, with the JNI library inside.

    build_jar.py OUT.jar WORK_DIR JAVAC JAR --native LIB.so --cp CLASSPATH -- SOURCES...

The native library goes into the jar as civrules/native/libcivrules_jni.so
(civrules.NativeLibrary loads it from there). --native and --cp are
optional (--cp: extra jars to compile against, ':'-separated)."""
import os
import shutil
import subprocess
import sys

out, work, javac, jar = sys.argv[1:5]
rest = sys.argv[5:]
native = classpath = None
while rest and rest[0] != "--":
    if rest[0] == "--native":
        native = rest[1]
    elif rest[0] == "--cp":
        classpath = rest[1]
    rest = rest[2:]
sources = [s for s in rest[1:] if s.endswith(".java")]
classes = os.path.join(work, "classes")
shutil.rmtree(classes, ignore_errors=True)
os.makedirs(classes)
cmd = [javac, "-encoding", "UTF-8", "-Xlint:all", "-Xlint:-serial", "-Werror", "--release", "11",
       "-d", classes]
if classpath:
    cmd += ["-cp", classpath]
subprocess.run(cmd + sources, check=True)
if native:
    dest = os.path.join(classes, "civrules", "native")
    os.makedirs(dest, exist_ok=True)
    shutil.copyfile(native, os.path.join(dest, "libcivrules_jni.so"))
if os.path.exists(out):
    os.unlink(out)
subprocess.run([jar, "--create", "--file", out, "-C", classes, "."], check=True)
