#!/usr/bin/env bash
# Postfix's smtp-sink on 127.0.0.1: accepts every message and (optionally) dumps each one to a
# file, so a test or benchmark can count what arrived. Used as the real peer in the crash-safety
# test and the benchmark.
#   SINK_DIR=/tmp/x SINK_PORT=24025 smtp-sink.sh start   # prints $SINK_DIR/env.sh
#   SINK_DIR=/tmp/x smtp-sink.sh stop                    # SIGTERM by the PID in $SINK_DIR/pid
# SINK_DUMP=0 turns dumping off (pure throughput); SINK_BACKLOG sets the listen backlog.
set -euo pipefail

DIR=${SINK_DIR:-/tmp/mailroom-smtp-sink}
PORT=${SINK_PORT:-24025}
BACKLOG=${SINK_BACKLOG:-256}
DUMP=${SINK_DUMP:-1}
BIN=${SINK_BIN:-/usr/sbin/smtp-sink}

log() { echo "smtp-sink: $*" >&2; }

do_stop() {
  [[ -f $DIR/pid ]] || return 0
  local pid i
  pid=$(cat "$DIR/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/pid"
}

do_start() {
  [[ -x $BIN ]] || { log "$BIN not found: install the postfix package (./testbed/install-deps.sh)"; exit 1; }
  do_stop
  mkdir -p "$DIR/mail"
  chmod 755 "$DIR"
  chmod 777 "$DIR/mail"   # smtp-sink drops to 'nobody' before writing dumps
  local args=(-u nobody -c)
  [[ $DUMP == 1 ]] && args+=(-d "$DIR/mail/%M.")
  # -c: print counters on stdout; stdin/stdout detached so $(smtp-sink.sh start) returns.
  "$BIN" "${args[@]}" "127.0.0.1:$PORT" "$BACKLOG" </dev/null >"$DIR/sink.log" 2>&1 &
  echo $! >"$DIR/pid"
  local i
  for ((i = 0; i < 100; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    sleep 0.05
  done
  cat >"$DIR/env.sh" <<ENV
export SINK_DIR=$DIR
export SINK_PORT=$PORT
export SINK_MAIL_DIR=$DIR/mail
export SINK_PID=$(cat "$DIR/pid")
ENV
  log "up: 127.0.0.1:$PORT pid=$(cat "$DIR/pid") dumps=$([[ $DUMP == 1 ]] && echo "$DIR/mail" || echo off)"
  echo "$DIR/env.sh"
}

case ${1:-} in
  start) do_start ;;
  stop) do_stop ;;
  clean) do_stop; rm -rf "$DIR" ;;
  *) echo "usage: $0 start|stop|clean" >&2; exit 2 ;;
esac
