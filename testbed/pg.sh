#!/usr/bin/env bash
# Private PostgreSQL 15 server for tests: initdb in a private dir, loopback only, high port.
#   pg.sh start   # initdb (first time) + start + create role/db, writes $PGTB_DIR/env.sh
#   pg.sh stop    # fast shutdown by the PID in postmaster.pid
#   pg.sh clean   # stop + rm -rf $PGTB_DIR
# Ports/names are overridable by PGTB_* env vars (see testbed/README.md).
# PGTB_OWNER_PID=<pid>: also start a watchdog that runs 'clean' once that process is gone
# (so a crashed test process never leaves a postmaster behind).
# Runs as root; the server itself runs as the 'postgres' OS user (initdb/postgres refuse root).
set -euo pipefail

DIR=${PGTB_DIR:-/tmp/mailroom-testbed-pg}
PORT=${PGTB_PORT:-25432}
OSUSER=${PGTB_OSUSER:-postgres}
DB=${PGTB_DB:-testdb}
USER_=${PGTB_USER:-testuser}
PASS=${PGTB_PASS:-testpass}
SUPERPASS=${PGTB_SUPERPASS:-postgres}
BIN=${PGTB_BIN:-/usr/lib/postgresql/15/bin}
DATA=$DIR/data
OWNER_PID=${PGTB_OWNER_PID:-}
WATCH_MAX_SECONDS=${PGTB_WATCH_MAX_SECONDS:-10800}   # the watchdog gives up after this (3 h)

log() { echo "pg: $*" >&2; }

# Shared helpers (pid_alive, stop_pidfile, start_watchdog).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
as_pg() { runuser -u "$OSUSER" -- "$@"; }

do_stop() {
  local pid i
  # the watchdog itself runs 'clean' with PGTB_IN_WATCHDOG=1 and must not signal itself
  [[ -n ${PGTB_IN_WATCHDOG:-} ]] || stop_pidfile "$DIR/watchdog.pid" watchdog
  [[ -f $DATA/postmaster.pid ]] || return 0
  pid=$(head -n 1 "$DATA/postmaster.pid")   # the first of several lines: not a job for stop_pidfile
  if pid_alive "$pid"; then
    kill -INT "$pid"          # SIGINT = "fast" shutdown (same as pg_ctl stop -m fast)
    for ((i = 0; i < 300; i++)); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then log "postmaster $pid still alive, SIGQUIT"; kill -QUIT "$pid" || true; sleep 1; fi
  fi
}

# Bounded background loop: once OWNER_PID has exited (or after WATCH_MAX_SECONDS), clean up.
# Detached from our stdio, so `$(pg.sh start)` returns; its PID goes to $DIR/watchdog.pid.
do_start() {
  [[ $(id -u) == 0 ]] || { log "run as root (or adapt: drop runuser)"; exit 1; }
  do_stop
  mkdir -p "$DIR/sock"
  chmod 755 "$DIR"
  chown -R "$OSUSER:" "$DIR"
  if [[ ! -f $DATA/PG_VERSION ]]; then
    printf '%s\n' "$SUPERPASS" >"$DIR/pwfile"; chown "$OSUSER:" "$DIR/pwfile"; chmod 600 "$DIR/pwfile"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$DIR/pwfile" -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
    rm -f "$DIR/pwfile"
    cat >>"$DATA/postgresql.conf" <<EOF
# --- testbed ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = ${PGTB_MAX_CONNECTIONS:-100}
EOF
  fi
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 60 start >/dev/null || { tail -n 20 "$DIR/postgres.log" >&2; exit 1; }
  # role + database (idempotent); local socket connection is 'trust' for the OS user
  local psql=("$BIN/psql" -h "$DIR/sock" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  if [[ $(as_pg "${psql[@]}" -c "select 1 from pg_roles where rolname='$USER_'") != 1 ]]; then
    as_pg "${psql[@]}" -c "create role \"$USER_\" login password '$PASS' createdb"
  fi
  if [[ $(as_pg "${psql[@]}" -c "select 1 from pg_database where datname='$DB'") != 1 ]]; then
    as_pg "$BIN/createdb" -h "$DIR/sock" -p "$PORT" -U postgres -O "$USER_" "$DB"
  fi
  cat >"$DIR/env.sh" <<EOF
export PGTB_DIR=$DIR
export PGTB_HOST=127.0.0.1
export PGTB_PORT=$PORT
export PGTB_DB=$DB
export PGTB_USER=$USER_
export PGTB_PASS=$PASS
export PGTB_CONNSTR='Host=127.0.0.1;Port=$PORT;Database=$DB;Username=$USER_;Password=$PASS'
export PGTB_SUPER_CONNSTR='Host=127.0.0.1;Port=$PORT;Database=postgres;Username=postgres;Password=$SUPERPASS'
export PGTB_URL='postgresql://$USER_:$PASS@127.0.0.1:$PORT/$DB'
EOF
  [[ -n $OWNER_PID ]] && start_watchdog PGTB_DIR="$DIR" PGTB_OWNER_PID= PGTB_IN_WATCHDOG=1
  log "up: 127.0.0.1:$PORT db=$DB user=$USER_ pid=$(head -n 1 "$DATA/postmaster.pid") dir=$DIR"
  echo "$DIR/env.sh"
}

case ${1:-} in
  start) do_start ;;
  stop) do_stop ;;
  clean) do_stop; rm -rf "$DIR" ;;
  status) if [[ -f $DATA/postmaster.pid ]] && kill -0 "$(head -n 1 "$DATA/postmaster.pid")" 2>/dev/null; then echo running; else echo stopped; fi ;;
  *) echo "usage: $0 start|stop|clean|status" >&2; exit 2 ;;
esac
