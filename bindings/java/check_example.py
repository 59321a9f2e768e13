#!/usr/bin/env python3
"""The Java example runs and prints what examples/java/Evaluate.expected
holds, and the README shows it as it is (TAP).

    check_example.py JAVA CIVRULES_JAR SOURCE_ROOT"""
import os
import re
import subprocess
import sys

java, jar, root = sys.argv[1:4]
example = os.path.join(root, "examples/java/Evaluate.java")
p = subprocess.run([java, "-cp", jar, example], cwd=root, capture_output=True, text=True, timeout=300)
expected = open(os.path.join(root, "examples/java/Evaluate.expected"), encoding="utf-8").read()
ok1 = p.returncode == 0 and p.stdout == expected
print(f"{'ok' if ok1 else 'not ok'} - examples/java/Evaluate.java prints Evaluate.expected")
if not ok1:
    print("\n".join("# " + line for line in (p.stdout + p.stderr).splitlines()))
readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
blocks = re.findall(r"```java\n(.*?)```", readme, re.S)
source = open(example, encoding="utf-8").read()
ok2 = any(b.strip() in source and "evaluateMany" in b and "policy.evaluate(" in b for b in blocks)
print(f"{'ok' if ok2 else 'not ok'} - the README's Java example is examples/java/Evaluate.java's")
print("1..2")
sys.exit(0 if ok1 and ok2 else 1)
