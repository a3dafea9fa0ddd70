#!/usr/bin/env python3
"""Where each kind of page spends the app's CPU, from web-load.sh's PERF samples: the self time of every sampled
function, grouped by what it belongs to, in microseconds per request (its share of the samples times the app's CPU per
request, measured over the same run).

    perf-groups.py anonymous.txt:240 signed-in.txt:409

Each file is `perf report --no-children --sort dso,symbol --stdio -g none -n --percent-limit 0` output. The shares are
taken from the sample counts (-n), not from the printed percentages: those are rounded to 0.01 %, and the thousands of
functions sampled once or twice each rounded up or down made the percentages add up to 95 to 110 %."""
import re
import sys
from collections import Counter

# First match wins; a JIT-compiled method is named by its assembly ("[Assembly] Namespace.Type::Method").
GROUPS = [
    ("kernel: system calls, network, scheduling", lambda dso, asm: dso == "[kernel.kallsyms]"),
    ("OpenSSL (Data Protection, hashing)", lambda dso, asm: dso.startswith(("libcrypto", "libssl", "libSystem.Security.Cryptography"))),
    ("Data Protection, antiforgery, .NET crypto", lambda dso, asm: asm.startswith(("Microsoft.AspNetCore.DataProtection", "Microsoft.AspNetCore.Antiforgery", "System.Security.Cryptography", "Microsoft.AspNetCore.Cryptography"))),
    ("authentication, claims", lambda dso, asm: asm.startswith(("Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "System.Security.Claims"))),
    ("views: Razor, MVC, routing, HTML encoding", lambda dso, asm: asm.startswith(("Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Razor", "Microsoft.AspNetCore.Html", "Microsoft.AspNetCore.Routing", "System.Text.Encodings.Web", "AspNetCoreGenerated"))),
    ("Kestrel, HTTP, sockets", lambda dso, asm: asm.startswith(("Microsoft.AspNetCore.Server", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.WebUtilities", "Microsoft.Net.Http", "System.Net", "System.IO.Pipelines")) or dso.startswith("libSystem.Native")),
    ("our memcached client", lambda dso, asm: asm == "DualCache.Memcached"),
    ("the app's own code", lambda dso, asm: asm == "DualCache.WebApp"),
    ("runtime: GC, type checks, stubs, malloc", lambda dso, asm: dso.startswith(("libcoreclr", "libc.so", "ld-linux", "libclrjit", "[vdso]", "libstdc++")) or asm == "stub"),
    ("base library: async, collections, strings", lambda dso, asm: asm.startswith(("System.", "Microsoft.Extensions", "Microsoft.Win32"))),
]


def groups(path, cpu_per_request):
    rows = []
    for line in open(path, encoding="utf-8", errors="replace"):
        match = re.match(r"\s*[\d.]+%\s+(\d+)\s+(\[JIT\] tid \d+|\S+)\s+\[.\]\s+(.*)", line)
        if match:
            rows.append((int(match.group(1)), match.group(2), match.group(3)))
        elif re.match(r"\s*[\d.]+%", line):
            # A sample line this does not read is counted, not lost: the total then still adds up.
            unread = re.match(r"\s*[\d.]+%\s+(\d+)", line)
            if not unread:
                sys.exit(f"{path}: no sample counts; make the report with perf report -n")
            rows.append((int(unread.group(1)), None, None))

    total = sum(samples for samples, _, _ in rows)
    sums = Counter()
    for samples, dso, symbol in rows:
        share = samples * cpu_per_request / total
        if dso is None:
            sums["(lines not read)"] += share
            continue
        assembly = ""
        if dso.startswith("[JIT]"):
            named = re.search(r"\[([\w.]+)\] ", symbol)
            assembly = "stub" if symbol.startswith("stub ") else named.group(1) if named else ""
        group = next((name for name, test in GROUPS if test(dso, assembly)), "other")
        sums[group] += share
    return sums


def main():
    kinds = [(arg.rsplit(":", 1)[0], float(arg.rsplit(":", 1)[1])) for arg in sys.argv[1:]]
    tables = [groups(path, cpu) for path, cpu in kinds]
    names = [name for name, _ in GROUPS] + ["other", "(lines not read)"]
    header = " | ".join(path.rsplit("/", 1)[-1].removesuffix(".txt").removesuffix("-self").removeprefix("perf-") for path, _ in kinds)
    print(f"| µs of app CPU per request | {header} | difference |")
    print("| --- |" + " --- |" * (len(kinds) + 1))
    for name in names + ["total"]:
        values = [sum(t.values()) if name == "total" else t[name] for t in tables]
        print(f"| {name} | " + " | ".join(f"{v:.0f}" for v in values) + f" | {values[-1] - values[0]:+.0f} |")


if __name__ == "__main__":
    main()
