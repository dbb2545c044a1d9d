#!/usr/bin/env bash
# THE benchmark command (bench/README.md): builds Release, then measures in one run, on 127.0.0.1,
# the Postfix relay peer, the bare MailKit peer and Mailroom, each delivering to smtp-sink, and
# writes bench/results/latest.json. Needs root (Postfix) and the postfix package.
#   bench/run.sh                          # 2000 messages per peer, 4 SMTP connections
#   bench/run.sh --messages 500 --only mailroom
# Every argument goes to Mailroom.Bench (--help lists them).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1

[[ $(id -u) == 0 ]] || { echo "bench/run.sh: run as root (the Postfix relay peer needs it)" >&2; exit 1; }
for bin in /usr/sbin/postfix /usr/sbin/smtp-source /usr/sbin/smtp-sink; do
  [[ -x $bin ]] || { echo "bench/run.sh: $bin missing: ./testbed/install-deps.sh installs postfix" >&2; exit 1; }
done

dotnet build -c Release src/Mailroom.Server/Mailroom.Server.csproj -v quiet -nologo </dev/null
dotnet build -c Release bench/Mailroom.Bench/Mailroom.Bench.csproj -v quiet -nologo </dev/null

BENCH_COMMAND="bench/run.sh${*:+ $*}" exec dotnet bench/Mailroom.Bench/bin/Release/net10.0/Mailroom.Bench.dll \
  --server-dll src/Mailroom.Server/bin/Release/net10.0/Mailroom.Server.dll "$@"
