#!/usr/bin/env bash
# THE test command (README and CI call it): installs missing system packages, then builds and
# runs every test project in the solution. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# no MSBuild worker nodes lingering after the run
export MSBUILDDISABLENODEREUSE=1

./testbed/install-deps.sh
dotnet test Mailroom.slnx "$@" </dev/null
