# Shell helpers the test-bed scripts share. Sourced, not run; the sourcing script defines log().

# Waits until host:port accepts a TCP connection, for at most the given seconds.
wait_port() { # host port seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "port $1:$2 did not open"; return 1
}

# A daemon that has exited can stay a zombie for a while when PID 1 is slow to reap it, and
# kill -0 succeeds on zombies: treat state Z (field 3 of /proc/PID/stat) as gone.
pid_alive() {
  [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# Stops the process whose PID is in a pid file: SIGTERM (or the given signal), up to 10 s, then
# SIGKILL; removes the file. Arguments: pidfile, a name for the log, optionally the signal.
stop_pidfile() {
  local f=$1 pid i
  [[ -f $f ]] || return 0
  pid=$(tr -dc 0-9 <"$f")
  if pid_alive "$pid"; then
    kill "-${3:-TERM}" "$pid"
    for ((i = 0; i < 100; i++)); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then log "$2 ($pid) still alive, SIGKILL"; kill -KILL "$pid" || true; fi
  fi
  rm -f "$f"
}

# rm -rf of a test bed's folder: exiting daemon children may still write a log line while it is
# deleted, so it is retried, bounded; fails when the folder is still there.
remove_dir() {
  local i
  for ((i = 0; i < 30; i++)); do rm -rf "$1" 2>/dev/null && break; sleep 0.1; done
  [[ ! -e $1 ]] || { log "could not delete $1"; return 1; }
}

# Runs "<this script> clean" once process $OWNER_PID is gone (checked each second, for at most
# $WATCH_MAX_SECONDS), so a test run that dies without cleaning up leaves no daemons behind.
# Arguments: the environment for that clean, e.g. MAILTB_DIR=/tmp/x MAILTB_OWNER_PID= (empty, so
# the clean does not start another watchdog). Records the watchdog's PID in $DIR/watchdog.pid.
start_watchdog() {
  local self
  self=$(readlink -f "$0")
  (
    local i
    for ((i = 0; i < WATCH_MAX_SECONDS; i++)); do
      kill -0 "$OWNER_PID" 2>/dev/null || break
      sleep 1
    done
    env "$@" "$self" clean
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$DIR/watchdog.pid"
}
