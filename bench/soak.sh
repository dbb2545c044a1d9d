#!/usr/bin/env bash
# THE soak command (bench/README.md, "Soak"): builds Release, then runs Mailroom under steady load
# for 15 minutes (default) against a scripted SMTP server on 127.0.0.1 that is restarted and
# answers 421 in bursts; reconciles every message and samples memory. Writes bench/results/soak-latest.json.
#   bench/soak.sh                       # 15 minutes, 5 messages/s
#   bench/soak.sh --minutes 2 --rate 2  # a quick smoke run
# Every argument goes to Mailroom.Soak (--help lists them). Exit code 0 only when nothing was lost.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1
dotnet build -c Release src/Mailroom.Server/Mailroom.Server.csproj -v quiet -nologo </dev/null
dotnet build -c Release bench/Mailroom.Soak/Mailroom.Soak.csproj -v quiet -nologo </dev/null
SOAK_COMMAND="bench/soak.sh${*:+ $*}" exec dotnet bench/Mailroom.Soak/bin/Release/net10.0/Mailroom.Soak.dll \
  --server-dll src/Mailroom.Server/bin/Release/net10.0/Mailroom.Server.dll "$@"
