#!/usr/bin/env bash
# A private, relay-only Postfix on 127.0.0.1 that forwards every message to one next hop
# (normally testbed/smtp-sink.sh): the "Postfix relay" peer of the benchmark (bench/README.md).
# No local delivery, no TLS, no rate delays, generous concurrency. Needs root (Postfix's
# master drops privileges to the postfix user). Debian 12 package: postfix.
#
#   RELAY_DIR=/tmp/x RELAY_PORT=24125 RELAY_NEXTHOP_PORT=24025 postfix-relay.sh start   # prints $RELAY_DIR/env.sh
#   RELAY_DIR=/tmp/x postfix-relay.sh stop    # stops by the PID in queue/pid/master.pid
#   RELAY_DIR=/tmp/x postfix-relay.sh clean   # stop + rm -rf $RELAY_DIR
#   RELAY_DIR=/tmp/x postfix-relay.sh status
#
# RELAY_CONCURRENCY (default 20): smtpd processes and outgoing connections to the next hop.
# Pitfalls are those of mailserver.sh (testbed/README.md): maillog_file under the dir, postlogd
# in master.cf, chroot n, dir 0755, daemons' stdio detached, stop by master.pid, zombies = gone.
set -euo pipefail

DIR=${RELAY_DIR:-/tmp/mailroom-postfix-relay}
PORT=${RELAY_PORT:-24125}
NEXTHOP_HOST=${RELAY_NEXTHOP_HOST:-127.0.0.1}
NEXTHOP_PORT=${RELAY_NEXTHOP_PORT:-24025}
CONCURRENCY=${RELAY_CONCURRENCY:-20}
PF=$DIR/postfix

log() { echo "postfix-relay: $*" >&2; }

# Shared helpers (wait_port, pid_alive, stop_pidfile, remove_dir).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

do_stop() { stop_pidfile "$PF/queue/pid/master.pid" master; }

write_configs() {
  mkdir -p "$DIR/log" "$PF/queue" "$PF/data"
  chmod 755 "$DIR" "$DIR/log" "$PF"
  chown postfix:postfix "$PF/data"

  cat >"$PF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = $DIR/log
maillog_file = $DIR/log/postfix.log
myhostname = relay.example.test
mydomain = example.test
myorigin = example.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
# --- relay only: nothing is local, everything goes to the next hop ---
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:5.1.1 relay-only benchmark instance
relayhost = [$NEXTHOP_HOST]:$NEXTHOP_PORT
default_transport = smtp
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
biff = no
append_dot_mydomain = no
smtpd_banner = \$myhostname ESMTP relay
# --- no DNS, no TLS ---
smtp_host_lookup = native
disable_dns_lookups = yes
smtpd_peername_lookup = no
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_helo_name = localhost
# --- no rate delays, generous concurrency ---
in_flow_delay = 0
smtpd_client_connection_rate_limit = 0
smtpd_client_message_rate_limit = 0
smtpd_client_recipient_rate_limit = 0
smtpd_client_connection_count_limit = 0
smtpd_error_sleep_time = 0
default_process_limit = $((CONCURRENCY * 2 + 10))
default_destination_concurrency_limit = $CONCURRENCY
smtp_destination_concurrency_limit = $CONCURRENCY
initial_destination_concurrency = $CONCURRENCY
default_destination_rate_delay = 0
smtp_destination_rate_delay = 0
smtp_connection_cache_on_demand = yes
EOF

  # chroot column is 'n' everywhere: the private dirs need no chroot setup
  cat >"$PF/master.cf" <<EOF
127.0.0.1:$PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

write_env() {
  cat >"$DIR/env.sh" <<EOF
export RELAY_DIR=$DIR
export RELAY_HOST=127.0.0.1
export RELAY_PORT=$PORT
export RELAY_NEXTHOP=[$NEXTHOP_HOST]:$NEXTHOP_PORT
export RELAY_CONFIG_DIR=$PF
export RELAY_MASTER_PID=$(tr -dc 0-9 <"$PF/queue/pid/master.pid")
EOF
}

do_start() {
  [[ $(id -u) == 0 ]] || { log "must run as root"; exit 1; }
  command -v postfix >/dev/null || { log "postfix not found: install it (./testbed/install-deps.sh)"; exit 1; }
  do_stop
  write_configs
  # postfix prints fatal errors to stderr only on a tty: see log/postfix.log or 'postfix check' via script
  # daemons must not inherit our stdout/stderr, or $(postfix-relay.sh start) never returns
  postfix -c "$PF" start </dev/null >/dev/null 2>&1 || {
    log "postfix start failed:"; tail -n 20 "$DIR/log/postfix.log" >&2 2>/dev/null || true
    script -qc "postfix -c $PF check" /dev/null >&2 || true; exit 1; }
  wait_port 127.0.0.1 "$PORT" 15
  write_env
  log "up: 127.0.0.1:$PORT -> [$NEXTHOP_HOST]:$NEXTHOP_PORT, pid $(tr -dc 0-9 <"$PF/queue/pid/master.pid"), log $DIR/log/postfix.log"
  echo "$DIR/env.sh"
}

case ${1:-} in
  start) do_start ;;
  stop) do_stop ;;
  clean) do_stop; remove_dir "$DIR" ;;
  status)
    f=$PF/queue/pid/master.pid
    if [[ -f $f ]] && pid_alive "$(tr -dc 0-9 <"$f")"; then echo "running: $f"; else echo "stopped: $f"; fi ;;
  *) echo "usage: $0 start|stop|clean|status" >&2; exit 2 ;;
esac
