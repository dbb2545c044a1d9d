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
