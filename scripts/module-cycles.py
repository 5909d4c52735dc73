#!/usr/bin/env python3
"""Module and file cycles in src/ (issue 15's "no module cycles", recomputable).

An edge A -> B when a file of A names (in a `use crate::…`/`use super::…` or a `crate::…` path)
an item defined in exactly one file, of B. Test modules and comments are ignored; names that
are also module names are ignored (they are paths, not items). Modules: each top-level module
of src/domain (domain::message, domain::json, …), then client, transport, js. Prints the strongly
connected groups (cycles) of modules, then of files; exits 1 when there is any.

    python3 scripts/module-cycles.py [src]
"""
import collections, os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else "src"
files = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".rs")]


def strip(s):
    s = re.sub(r"#\[cfg\(test\)\]\s*mod \w+ \{.*", "", s, flags=re.S)
    return re.sub(r"//[^\n]*", "", s)


src = {p: strip(open(p).read()) for p in files}
defs = collections.defaultdict(set)
item = r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:fn|struct|enum|trait|const|static|type)\s+(\w+)"
for p, s in src.items():
    for n in re.findall(item, s, flags=re.M):
        defs[n].add(p)
modnames = {os.path.basename(f)[:-3] for f in files} | {os.path.basename(os.path.dirname(f)) for f in files}
edges = collections.defaultdict(set)
for p, s in src.items():
    names = set()
    for u in re.findall(r"\buse\s+((?:crate|super|self)::[^;]*);", s, flags=re.S):
        names |= set(re.findall(r"\w+", u))
    names |= set(re.findall(r"\b(?:crate|super)::(?:\w+::)*(\w+)", s))
    for n in names - modnames:
        if len(defs.get(n, ())) == 1:
            q = next(iter(defs[n]))
            if q != p:
                edges[p].add(q)


def module(p):
    parts = os.path.relpath(p, root).split(os.sep)
    if parts[0] == "domain" and len(parts) > 1:
        return "domain::" + parts[1].removesuffix(".rs")
    return parts[0].removesuffix(".rs")


def cycles(graph):
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


mods = collections.defaultdict(set)
for a, bs in edges.items():
    for b in bs:
        if module(a) != module(b):
            mods[module(a)].add(module(b))
found = 0
for title, graph in (("module", mods), ("file", edges)):
    groups = cycles(graph)
    found += len(groups)
    print(f"{len(groups)} {title} cycles")
    for g in groups:
        print("  ", " <-> ".join(g))
sys.exit(1 if found else 0)
