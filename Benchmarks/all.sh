#!/usr/bin/env bash
# Every figure of issue 12 in one run, in this order: ours against memcaslap (compare, by default and with inline
# scheduling), signed-in against anonymous (web-load.sh), the on-CPU split of each kind of page (web-load.sh with
# PERF=1), the bytes each kind of page allocates (ALLOC=1), and allocation per operation (BenchmarkDotNet). With a
# commit, the page figures are taken of that commit too, with the same scripts, for a before and after.
#
#   Benchmarks/all.sh [before-commit]
#
# Needs what compare, web-load.sh and PERF=1 need (memcached, libmemcached-tools, wrk, curl, linux-perf, python3).
# 15 to 20 minutes on two cores. Run it on an otherwise idle machine: the load average is printed along the way.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
before=${1:-}
out=$(mktemp -d)
cd "$repo"
echo "at $(git log --oneline -1 | cut -c1-8), $(date -u '+%F %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg); samples in $out"
dotnet build -c Release Benchmarks -v quiet -nologo > /dev/null
bench() { dotnet Benchmarks/bin/Release/net10.0/DualCache.Benchmarks.dll "$@"; }

echo "== ours against memcaslap"
bench compare --rounds 5 --seconds 10
echo "== the same, ours with UnsafePreferInlineScheduling on one connection"
bench compare --rounds 5 --seconds 10 --inline 1 --connections 1
echo "== signed-in against anonymous"
Benchmarks/web-load.sh 5 10
echo "== where each page's CPU goes"
mkdir -p "$out/after"
PERF=1 PERF_OUT="$out/after" Benchmarks/web-load.sh 1 15
echo "== what each page allocates"
ALLOC=1 Benchmarks/web-load.sh 1 10

if [ -n "$before" ]; then
    # The same scripts against the earlier app: a worktree of it, with today's scripts copied in.
    tree="$out/before-tree"
    git worktree add -f --detach "$tree" "$before" > /dev/null
    trap 'git -C "$repo" worktree remove --force "$tree"' EXIT
    cp Benchmarks/web-load.sh Benchmarks/perf-groups.py "$tree/Benchmarks/"
    mkdir -p "$out/before"
    echo "== where each page's CPU goes, at $before"
    PERF=1 PERF_OUT="$out/before" "$tree/Benchmarks/web-load.sh" 1 15
    echo "== signed-in against anonymous, at $before"
    "$tree/Benchmarks/web-load.sh" 3 10
fi

echo "== allocation per operation"
bench --filter 'DualCache.Benchmarks.ClientBenchmarks*' --job short --inProcess 2>&1 | sed -n '/^| Method/,/^$/p'
echo "done $(date -u '+%H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
