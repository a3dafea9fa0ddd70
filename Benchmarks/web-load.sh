#!/usr/bin/env bash
# Signed-in against anonymous /catalog on the Release web app, both roles on memcached processes of their own:
# wrk in interleaved rounds, the ratio taken within each round. Loopback only, bounded in time.
#
#   Benchmarks/web-load.sh [rounds=5] [seconds=10] [connections=32] [path=/catalog]
#   TRACE=1 Benchmarks/web-load.sh    # instead: the app's sampled stacks under each kind of page, methods by inclusive time
#   PERF=1 Benchmarks/web-load.sh 1 15  # instead: the app's on-CPU time per request of each kind of page, by what it is spent in
#                                       # (perf: apt-get install linux-perf; PERF_OUT=folder keeps the samples)
#   ALLOC=1 Benchmarks/web-load.sh 1 10 # instead: bytes the app allocates per request of each kind of page, in all and by type
#
# Needs memcached, wrk (apt-get install wrk), curl and the .NET SDK (and for TRACE, dotnet tool install -g dotnet-trace).
# Prints the two pages' response sizes, one line per run, then the medians.
set -euo pipefail

rounds=${1:-5}
seconds=${2:-10}
connections=${3:-32}
path=${4:-/catalog}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
    if [ -n "${app:-}" ]; then rm -f "/tmp/perf-$app.map"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

memcached_user=()
[ "$(id -u)" = 0 ] && memcached_user=(-u root)
cache_port=$(free_port)
memcached "${memcached_user[@]}" -l 127.0.0.1 -p "$cache_port" -U 0 -m 64 & pids+=($!)
sessions_port=$(free_port)
memcached "${memcached_user[@]}" -l 127.0.0.1 -p "$sessions_port" -U 0 -m 64 & pids+=($!)

dotnet build -c Release "$repo/WebApp" -v quiet -nologo > "$work/build.log" || { cat "$work/build.log"; exit 1; }

app_port=$(free_port)
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
# Development for the demo accounts; its own database and keys, so the run leaves nothing behind.
(
    cd "$repo/WebApp"
    # 3: the perf map alone, without the jitdump files 1 would write too.
    [ -n "${PERF:-}" ] && export DOTNET_PerfMapEnabled=3 DOTNET_EnableWriteXorExecute=0
    ASPNETCORE_ENVIRONMENT=Development \
    ASPNETCORE_URLS="http://127.0.0.1:$app_port" \
    DemoAccounts__Password="$password" \
    ConnectionStrings__cache="127.0.0.1:$cache_port" \
    ConnectionStrings__sessions="127.0.0.1:$sessions_port" \
    ConnectionStrings__shopdb="Data Source=$work/shop.db" \
    DataProtection__KeysPath="$work/keys" \
    exec dotnet "bin/Release/net10.0/DualCache.WebApp.dll"
) > "$work/app.log" 2>&1 & app=$!
pids+=("$app")

base="http://127.0.0.1:$app_port"
for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$base/alive" && break
    sleep 0.5
done
curl -fs -o /dev/null "$base/alive" || { cat "$work/app.log"; exit 1; }

# Sign in as a browser does: the form (its antiforgery cookie and token), then the post; keep every cookie it sets.
jar="$work/cookies"
token=$(curl -fs -c "$jar" "$base/account/signin" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -o /dev/null -b "$jar" -c "$jar" \
    --data-urlencode "Form.Email=user@dualcache.test" --data-urlencode "Form.Password=$password" \
    --data-urlencode "__RequestVerificationToken=$token" "$base/account/signin"
cookie=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar" | sed 's/; $//')
# Each page once, its headers and body kept: checked to be the page it should be, then weighed. The app writes a
# response, the kernel copies it and wrk reads it, so the signed-in page's extra bytes (its buttons, name and tokens)
# cost all three.
curl -fs -D "$work/signed-in.head" -o "$work/signed-in.html" -H "Cookie: $cookie" "$base$path"
grep -q 'data-testid="signed-in-user"' "$work/signed-in.html" || { echo "sign-in failed"; cat "$work/app.log"; exit 1; }
curl -fs -D "$work/anonymous.head" -o "$work/anonymous.html" "$base$path"
grep -q 'data-testid="sign-in-link"' "$work/anonymous.html" || { echo "the anonymous page is not anonymous"; exit 1; }
echo "response size: anonymous $(cat "$work"/anonymous.{head,html} | wc -c) B, signed-in $(cat "$work"/signed-in.{head,html} | wc -c) B"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

run() { # $1 = label, rest = extra wrk arguments; prints "req/s app-CPU-µs-per-request"; fails on any non-2xx answer or socket error
    local out before after
    before=$(cpu_ticks "$app")
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s "${@:2}" "$base$path")
    after=$(cpu_ticks "$app")
    if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then echo "$1: errors" >&2; echo "$out" >&2; exit 1; fi
    awk -v cpu=$((after - before)) -v hz="$ticks_per_second" '
        / requests in / { requests = $1 }
        /Requests\/sec/ { rate = $2 }
        END { printf "%s %.0f\n", rate, cpu / hz * 1e6 / requests }' <<< "$out"
}

# Warm up both paths (JIT, tiering, connections) before measuring, twice: a run right after the other path's first
# warm-up still met the JIT tiering that one started, and came out up to twice as costly.
for _ in 1 2; do
    run warmup -d5s > /dev/null
    run warmup -d5s -H "Cookie: $cookie" > /dev/null
done
# Then idle for a while: under full load the runtime's background JIT gets little CPU, and it still had hundreds of
# methods to promote to tier 1 when the warm-up ended (the app's perf map grew by ~500 entries in these 5 s). Without
# the pause, the first measured signed-in run paid for them: 400 to 588 µs per request in its first 2 s, against ~290.
sleep 5

if [ -n "${PERF:-}" ]; then
    # While wrk loads one kind of page, sample the app's on-CPU stacks with perf (the app runs with its perf map on,
    # so JIT-compiled methods have names); then each function's self time, and the same grouped by what it belongs
    # to, in µs per request (perf-groups.py). The call graphs (-g) are only for whoever opens the kept samples.
    command -v perf > /dev/null || { echo "PERF=1 needs perf (apt-get install linux-perf)" >&2; exit 1; }
    out=${PERF_OUT:-$work}
    groups=()
    for kind in anonymous signed-in; do
        extra=(); [ "$kind" = signed-in ] && extra=(-H "Cookie: $cookie")
        perf record -F 999 -g -p "$app" -o "$out/perf-$kind.data" -- sleep "$((seconds + 1))" 2> "$work/perf-$kind.log" &
        sampler=$!
        read -r rate cpu < <(run "$kind" "${extra[@]}")
        wait "$sampler" || { echo "perf record failed:" >&2; cat "$work/perf-$kind.log" >&2; exit 1; }
        echo "$kind: $rate req/s, $cpu µs app CPU per request, while sampled (load $(cut -d' ' -f1 /proc/loadavg))"
        perf report -i "$out/perf-$kind.data" --no-children --sort dso,symbol --stdio -g none -n --percent-limit 0 2> "$work/perf-$kind.log" > "$out/perf-$kind-self.txt" \
            || { echo "perf report failed:" >&2; cat "$work/perf-$kind.log" >&2; exit 1; }
        groups+=("$out/perf-$kind-self.txt:$cpu")
    done
    python3 "$repo/Benchmarks/perf-groups.py" "${groups[@]}"
    exit 0
fi

if [ -n "${ALLOC:-}" ]; then
    # While wrk loads one kind of page, the runtime's allocation sampling (the benchmark program's "allocations"),
    # started before the run and stopped after it: its bytes over the run's requests are bytes per request (the idle
    # second on each side allocates a few KB against hundreds of MB). Unlike CPU time, which moves by a fifth from run
    # to run on this VM, the totals move by a few percent.
    dotnet build -c Release "$repo/Benchmarks" -v quiet -nologo > "$work/build-bench.log" || { cat "$work/build-bench.log"; exit 1; }
    for kind in anonymous signed-in; do
        extra=(); [ "$kind" = signed-in ] && extra=(-H "Cookie: $cookie")
        dotnet "$repo/Benchmarks/bin/Release/net10.0/DualCache.Benchmarks.dll" allocations --pid "$app" --seconds "$((seconds + 2))" --top 1000 \
            > "$work/alloc-$kind.tsv" 2> "$work/alloc-$kind.log" &
        sampler=$!
        sleep 1
        read -r rate cpu < <(run "$kind" "${extra[@]}")
        wait "$sampler" || { echo "allocation sampling failed:" >&2; cat "$work/alloc-$kind.log" >&2; exit 1; }
        echo "$kind: $rate req/s, $cpu µs app CPU per request, while sampled"
        awk -F'\t' -v rate="$rate" -v seconds="$seconds" '{ printf "%.0f\t%s\n", $1 / (rate * seconds), $2 }' \
            "$work/alloc-$kind.tsv" > "$work/alloc-$kind.per-request"
    done
    # Types by how much more a signed-in page allocates of them than an anonymous one: the 25 most, the 5 least, and
    # the rest in one line, so that the rows add up to the total's difference.
    awk -F'\t' '
        FNR == NR { anonymous[$2] = $1; seen[$2] = 1; next }
        { signed[$2] = $1; seen[$2] = 1 }
        END { for (type in seen) printf "%d\t%d\t%d\t%s\n", anonymous[type], signed[type], signed[type] - anonymous[type], type }' \
        "$work/alloc-anonymous.per-request" "$work/alloc-signed-in.per-request" | sort -t$'\t' -k3,3nr | awk -F'\t' '
        $4 == "(total)" { total = $0; next }
        { rows[++n] = $0 }
        END {
            printf "%10s %10s %10s  %s\n", "anonymous", "signed-in", "difference", "bytes per request, by type"
            split(total, t, "\t"); printf "%10d %10d %10d  %s\n", t[1], t[2], t[3], t[4]
            for (i = 1; i <= n; i++) {
                split(rows[i], r, "\t")
                if (i <= 25 || i > n - 5) printf "%10d %10d %10d  %s\n", r[1], r[2], r[3], r[4]
                else { rest[1] += r[1]; rest[2] += r[2]; rest[3] += r[3]; others++ }
                if (i == 25 && n > 30) printf "%10s %10s %10s  %s\n", "...", "", "", ""
            }
            if (others) printf "%10d %10d %10d  (the other %d types)\n", rest[1], rest[2], rest[3], others
        }'
    exit 0
fi

if [ -n "${TRACE:-}" ]; then
    # While wrk loads one kind of page, sample the app's managed stacks; then the methods by inclusive time.
    for kind in anonymous signed-in; do
        extra=(); [ "$kind" = signed-in ] && extra=(-H "Cookie: $cookie")
        dotnet-trace collect -p "$app" --profile dotnet-sampled-thread-time -o "$work/$kind.nettrace" --duration "00:00:00:$((seconds + 2))" > /dev/null &
        tracer=$!
        sleep 1
        echo "$kind: $(run "$kind" "${extra[@]}") (req/s, app CPU µs per request) while traced"
        wait "$tracer"
        dotnet-trace report "$work/$kind.nettrace" topN --inclusive -n "${TOP:-300}" > "${TRACE_OUT:-.}/trace-$kind.txt"
        echo "$kind: ${TRACE_OUT:-.}/trace-$kind.txt"
    done
    exit 0
fi

echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
ratios=(); anonymous=(); signed=(); anonymous_cpu=(); signed_cpu=(); cpu_ratios=()
for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then
        read -r a ac < <(run anonymous); read -r s sc < <(run signed-in -H "Cookie: $cookie")
    else
        read -r s sc < <(run signed-in -H "Cookie: $cookie"); read -r a ac < <(run anonymous)
    fi
    r=$(awk -v s="$s" -v a="$a" 'BEGIN { printf "%.2f", s / a }')
    cr=$(awk -v s="$sc" -v a="$ac" 'BEGIN { printf "%.2f", s / a }')
    anonymous+=("$a"); signed+=("$s"); ratios+=("$r"); anonymous_cpu+=("$ac"); signed_cpu+=("$sc"); cpu_ratios+=("$cr")
    echo "round $round: anonymous $a req/s ($ac µs app CPU per request), signed-in $s req/s ($sc µs), signed-in/anonymous $r, CPU per request signed-in/anonymous $cr (load $(cut -d' ' -f1 /proc/loadavg))"
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median: anonymous $(median "${anonymous[@]}") req/s, signed-in $(median "${signed[@]}") req/s, ratio $(median "${ratios[@]}"); app CPU per request anonymous $(median "${anonymous_cpu[@]}") µs, signed-in $(median "${signed_cpu[@]}") µs, ratio $(median "${cpu_ratios[@]}")"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
