#!/usr/bin/env python3
"""Check that the folders of lib/ include each other in one direction only.

Reads every `#include "..."` in lib/*/*.c and lib/*/*.h, resolves it
against the including file's folder (then against lib/), and builds the
graph of folders. Exits 1 and prints the cycle when two folders reach each
other; otherwise prints the folders bottom-up with what each includes.

    python3 scripts/check-layers.py [LIB_DIR]     # default: lib/ of this tree
    python3 scripts/check-layers.py --self-test   # the check finds a planted cycle
    python3 scripts/check-layers.py LIB_DIR --doc DOC [--write]

With --doc, also check that DOC (docs/architecture.md) shows the graph as it
is, between the lines `<!-- layers:begin -->` and `<!-- layers:end -->`;
--write puts it there instead.
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_graph(lib):
    lib = os.path.realpath(lib)
    graph = {}
    for folder in sorted(os.listdir(lib)):
        d = os.path.join(lib, folder)
        if not os.path.isdir(d):
            continue
        deps = graph.setdefault(folder, set())
        for name in sorted(os.listdir(d)):
            if not name.endswith(('.c', '.h', '.def')):
                continue
            with open(os.path.join(d, name), encoding='utf-8') as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                for base in (d, lib):
                    target = os.path.realpath(os.path.join(base, inc))
                    if os.path.exists(target):
                        break
                else:
                    continue  # a public header (civrules/...) or a generated one
                rel = os.path.relpath(target, lib)
                if rel.startswith('..') or os.sep not in rel:
                    continue
                dep = rel.split(os.sep)[0]
                if dep != folder:
                    deps.add(dep)
    return graph


def find_cycle(graph):
    """A list of folders forming a cycle, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def layers(graph):
    """Folders bottom-up: each after everything it includes."""
    order, done = [], set()
    while len(done) < len(graph):
        ready = sorted(n for n in graph if n not in done and graph[n] <= done)
        order.extend(ready)
        done.update(ready)
    return order


BEGIN, END = '<!-- layers:begin -->', '<!-- layers:end -->'


def graph_block(graph):
    """The graph bottom-up as the architecture document shows it."""
    order = layers(graph)
    width = max(len(n) for n in order)
    lines = ['```']
    for n in order:
        deps = ' '.join(sorted(graph[n], key=order.index))
        lines.append(f'{n:<{width}} -> {deps}' if deps else n)
    lines.append('```')
    return '\n'.join(lines)


def check_doc(graph, doc, write):
    with open(doc, encoding='utf-8') as f:
        text = f.read()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        print(f'{doc}: no {BEGIN} ... {END} block for the include graph')
        return 1
    new = text[:start + len(BEGIN)] + '\n' + graph_block(graph) + '\n' + text[end:]
    if write:
        with open(doc, 'w', encoding='utf-8') as f:
            f.write(new)
        return 0
    if new != text:
        print(f'{doc}: the include graph is out of date; run scripts/check-layers.py lib --doc {doc} --write')
        return 1
    return 0


def check(lib, doc=None, write=False):
    graph = folder_graph(lib)
    cycle = find_cycle(graph)
    if cycle:
        print('lib/ folders include each other in a cycle: ' + ' -> '.join(cycle))
        return 1
    for n in layers(graph):
        print(f"{n}: {' '.join(sorted(graph[n])) or '-'}")
    print(f'ok: {len(graph)} folders, one-way')
    return check_doc(graph, doc, write) if doc else 0


def self_test():
    with tempfile.TemporaryDirectory() as t:
        for folder, text in (('a', '#include "../b/b.h"\n'), ('b', '#include "../c/c.h"\n'),
                             ('c', '#include "../a/a.h"\n')):
            os.mkdir(os.path.join(t, folder))
            with open(os.path.join(t, folder, folder + '.h'), 'w', encoding='utf-8') as f:
                f.write(text)
        cycle = find_cycle(folder_graph(t))
        if cycle != ['a', 'b', 'c', 'a']:
            print(f'self-test: the planted cycle a -> b -> c -> a was not found ({cycle})')
            return 1
        with open(os.path.join(t, 'c', 'c.h'), 'w', encoding='utf-8') as f:
            f.write('#include "civrules/error.h"\n')
        if find_cycle(folder_graph(t)) is not None:
            print('self-test: a cycle was reported where there is none')
            return 1
    print('self-test: ok')
    return 0


if __name__ == '__main__':
    if sys.argv[1:] == ['--self-test']:
        sys.exit(self_test())
    here = os.path.dirname(os.path.abspath(__file__))
    args = sys.argv[1:]
    write = '--write' in args
    args = [a for a in args if a != '--write']
    doc = None
    if '--doc' in args:
        i = args.index('--doc')
        doc = args[i + 1]
        del args[i:i + 2]
    sys.exit(check(args[0] if args else os.path.join(here, '..', 'lib'), doc, write))
