#!/usr/bin/env bash
# THE test command (README and CI call it): installs missing system packages, then builds and
# runs every test project in the solution, and ends with one totals line
# ("tests: N passed, N failed, N skipped"). Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# no MSBuild worker nodes lingering after the run
export MSBUILDDISABLENODEREUSE=1

./testbed/install-deps.sh

log=$(mktemp /tmp/mailroom-test.XXXXXX.log)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Mailroom.slnx "$@" </dev/null 2>&1 | tee "$log" || status=$?

# Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 24, Skipped: 0, …").
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
    awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}')
if ((status != 0 && failed == 0)); then failed=1; fi   # a build or runner failure counts too
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
