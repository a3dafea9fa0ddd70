#!/usr/bin/env bash
# Retakes the README's pictures from the running pages: the browser scenario that shows the lesson
# (Tests/EndToEnd/ReadmeScreenshotScenarios.cs) and the dashboard scenario (Tests/AppHost/DashboardScenarios.cs),
# then copies what they wrote under Tests/TestResults/playwright/ into docs/.
# Needs what the tests need: memcached, Chromium, and for the dashboard the container engine and the local image
# (DualCache__MemcachedImage), as .ci/run sets them up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
results="${TEST_RESULTS_DIRECTORY:-$root/Tests/TestResults}"
: "${DualCache__MemcachedImage:?set it to the local memcached image, e.g. localhost/dualcache-memcached:1.6}"
# No stale picture can be copied: the folders are emptied, and a picture the tests did not take fails the copy.
rm -rf "$results/playwright/readme" "$results/playwright/dashboard"
dotnet test "$root/Tests/DualCache.Tests.csproj" \
  --filter "FullyQualifiedName~ReadmeScreenshotScenarios|FullyQualifiedName~DashboardScenarios"
cp -v "$results"/playwright/readme/{home-page,caches-page,flush-result}.png "$root/docs/"
cp -v "$results"/playwright/dashboard/{dashboard-resources,dashboard-metrics}.png "$root/docs/"
