#!/usr/bin/env bash
# Private, loopback-only mail test bed: Postfix (SMTP plain / SMTPS / STARTTLS submission,
# SMTP AUTH via Dovecot SASL) + Dovecot (IMAP/IMAPS over the delivered Maildirs).
# Needs root (Postfix/Dovecot masters drop privileges to postfix/dovecot/dovenull/nobody).
# Debian 12 packages: postfix dovecot-core dovecot-imapd openssl (swaks for the self-test).
#
#   mailserver.sh start   # creates $MAILTB_DIR, writes $MAILTB_DIR/env.sh, starts both daemons
#   mailserver.sh stop    # stops both daemons by PID (master.pid files), leaves the dir
#   mailserver.sh clean   # stop + rm -rf $MAILTB_DIR
#   mailserver.sh status
#
# Everything is overridable by environment variables (defaults below). See testbed/README.md.
# MAILTB_OWNER_PID=<pid>: also start a watchdog that runs 'clean' once that process is gone
# (so a crashed test process never leaves the daemons behind).
set -euo pipefail

DIR=${MAILTB_DIR:-/tmp/mailroom-testbed-mail}
SMTP_PLAIN_PORT=${MAILTB_SMTP_PLAIN_PORT:-22525}   # no TLS at all; AUTH optional
SMTPS_PORT=${MAILTB_SMTPS_PORT:-22465}             # implicit TLS (like 465); AUTH required
SUBMISSION_PORT=${MAILTB_SUBMISSION_PORT:-22587}   # STARTTLS required (like 587); AUTH only after TLS, required
IMAP_PORT=${MAILTB_IMAP_PORT:-22143}               # IMAP, STARTTLS offered
IMAPS_PORT=${MAILTB_IMAPS_PORT:-22993}             # IMAP implicit TLS
DOMAIN=${MAILTB_DOMAIN:-example.test}
PASS=${MAILTB_PASS:-testpass}
# Optional: SASL XOAUTH2 + OAUTHBEARER, tokens checked by POSTing them to this RFC 7662
# introspection endpoint (e.g. testbed/oidc/server.js, see below). Empty = OAuth2 off.
OAUTH2_URL=${MAILTB_OAUTH2_INTROSPECTION_URL:-}
# Optional: MAILTB_OAUTH2_SERVER=yes starts testbed/oidc/server.js (the local OAuth2/OIDC
# authorization server, npm package oidc-provider) on a free loopback port before Dovecot and points the introspection at it;
# env.sh then names its issuer (MAILTB_OAUTH2_ISSUER) and client (MAILTB_OAUTH2_CLIENT_ID/SECRET).
OAUTH2_SERVER=${MAILTB_OAUTH2_SERVER:-}
OAUTH2_CLIENT_ID=${MAILTB_OAUTH2_CLIENT_ID:-mailroom-test}
OAUTH2_CLIENT_SECRET=${MAILTB_OAUTH2_CLIENT_SECRET:-mailroom-test-secret}
OAUTH2_ISSUER=""
OAUTH2_INTROSPECTOR_SECRET=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
# Optional: a second loopback address (e.g. 127.83.19.7) where Postfix also listens on the real
# ports 25 (STARTTLS offered, AUTH optional), 465 (implicit TLS) and 587 (STARTTLS required), so
# "Automatic" encryption can be tested with its real port rules. A random 127.x address keeps
# parallel test beds (and any system MTA on 127.0.0.1) apart. Empty = off.
STANDARD_PORTS_ADDR=${MAILTB_STANDARD_PORTS_ADDR:-}
OWNER_PID=${MAILTB_OWNER_PID:-}
WATCH_MAX_SECONDS=${MAILTB_WATCH_MAX_SECONDS:-10800}   # the watchdog gives up after this (3 h)
VMAIL_USER=${MAILTB_VMAIL_USER:-nobody}   # Maildirs are owned by it (root tests can read them)
VMAIL_UID=$(id -u "$VMAIL_USER")
VMAIL_GID=$(id -g "$VMAIL_USER")

PF=$DIR/postfix
DC=$DIR/dovecot

log() { echo "mailserver: $*" >&2; }

# Shared helpers (wait_port, pid_alive, stop_pidfile, remove_dir, start_watchdog).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

do_stop() {
  # the watchdog itself runs 'clean' with MAILTB_IN_WATCHDOG=1 and must not signal itself
  [[ -n ${MAILTB_IN_WATCHDOG:-} ]] || stop_pidfile "$DIR/watchdog.pid" watchdog
  stop_pidfile "$DC/run/master.pid" dovecot
  stop_pidfile "$PF/queue/pid/master.pid" postfix
  stop_pidfile "$DIR/oauth2/server.pid" oidc-server
}

# Starts testbed/oidc/server.js (oidc-provider; its own port, written to a file) and sets OAUTH2_URL
# for Dovecot. Dovecot authenticates to the introspection endpoint as the client "dovecot" (Basic
# auth in the URL), as RFC 7662 asks of a resource server.
start_oauth2_server() {
  local o=$DIR/oauth2 i oidc
  oidc=$(dirname "$(readlink -f "$0")")/oidc
  mkdir -p "$o"
  rm -f "$o/port"
  command -v node >/dev/null || { log "node not found: run ./testbed/install-deps.sh (nodejs, npm)"; exit 1; }
  if [[ ! -d $oidc/node_modules/oidc-provider ]]; then
    log "npm ci --prefix $oidc"
    npm ci --prefix "$oidc" --no-audit --no-fund </dev/null >>"$DIR/log/oauth2-start.log" 2>&1 ||
      { log "npm ci failed:"; tail -n 30 "$DIR/log/oauth2-start.log" >&2; exit 1; }
  fi
  node "$oidc/server.js" --portfile "$o/port" --pidfile "$o/server.pid" --log "$DIR/log/oauth2.log" \
    --client "$OAUTH2_CLIENT_ID:$OAUTH2_CLIENT_SECRET" --client "mailroom-public:" \
    --introspector "dovecot:$OAUTH2_INTROSPECTOR_SECRET" \
    </dev/null >>"$DIR/log/oauth2-start.log" 2>&1 &
  for ((i = 0; i < 150; i++)); do [[ -s $o/port ]] && break; sleep 0.1; done
  [[ -s $o/port ]] || { log "oidc server did not start:"; cat "$DIR/log/oauth2-start.log" >&2; exit 1; }
  OAUTH2_ISSUER="http://127.0.0.1:$(cat "$o/port")"
  OAUTH2_URL="http://dovecot:$OAUTH2_INTROSPECTOR_SECRET@127.0.0.1:$(cat "$o/port")/introspect"
}

write_configs() {
  mkdir -p "$DIR"/{tls,log,mail} "$PF/queue" "$PF/data" "$DC/run" "$DC/state"
  chmod 755 "$DIR" "$DIR/log"
  chown "$VMAIL_UID:$VMAIL_GID" "$DIR/mail"
  chown postfix:postfix "$PF/data"

  # --- self-signed certificate (CN=localhost, SAN localhost/mail.$DOMAIN/127.0.0.1) ---
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,DNS:mail.$DOMAIN,IP:127.0.0.1" \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
  # dovecot-lda runs as $VMAIL_USER and parses the whole config, including ssl_key = <file,
  # so the (throwaway) key must be readable by it
  chmod 644 "$DIR/tls/cert.pem" "$DIR/tls/key.pem"
  touch "$DIR/log/lda.log"; chown "$VMAIL_UID:$VMAIL_GID" "$DIR/log/lda.log"

  # --- Postfix lookup tables (regexp: built in, no postmap needed) ---
  # every domain is a virtual mailbox domain -> nothing ever leaves the machine
  echo '/./ OK' >"$PF/vdomains"
  # virtual(8) refuses regexp substitution ($1) in virtual_mailbox_maps, so this table only
  # says "every address exists"; delivery goes through dovecot-lda (virtual_transport = dovecot),
  # which files each recipient into $DIR/mail/<domain>/<local>/ (Dovecot mail_location).
  echo '/./ OK' >"$PF/vmailbox"
  # recipients in these domains produce real behaviour for negative tests:
  #  bounce.test: accepted, then permanent failure (exit 67) -> Postfix sends a real DSN to the sender
  #  defer.test:  accepted, temporary failure (exit 75) -> stays in the deferred queue
  # (an 'error:'/'retry:' transport would not do: smtpd rejects such recipients at RCPT time)
  cat >"$PF/fail.sh" <<'EOS'
#!/bin/sh
# $1 = exit code: 67 (EX_NOUSER) -> bounce, 75 (EX_TEMPFAIL) -> defer; stdout goes into the DSN
cat >/dev/null
if [ "$1" = 67 ]; then echo "5.1.1 mailbox does not exist (testbed bounce.test)"
else echo "4.2.2 mailbox full, try again later (testbed defer.test)"; fi
exit "$1"
EOS
  chmod 755 "$PF/fail.sh"
  cat >"$PF/transport" <<'EOS'
/@bounce\.test$/ failperm:
/@defer\.test$/ failtemp:
EOS
  cat >"$PF/rcpt_access" <<'EOF'
/@reject\.test$/ 550 5.1.1 Recipient address rejected: no such user (testbed reject.test)
EOF

  cat >"$PF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = $DIR/log
maillog_file = $DIR/log/postfix.log
myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = $DOMAIN
mydestination =
# Every listener in master.cf names its address, so nothing binds beyond loopback; "all" only
# lifts Postfix's check that each address sits on an interface (127.x.y.z is routed by lo, not assigned).
inet_interfaces = $([[ -n $STANDARD_PORTS_ADDR ]] && echo all || echo 127.0.0.1)
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
biff = no
append_dot_mydomain = no
smtpd_banner = \$myhostname ESMTP testbed
smtpd_error_sleep_time = 0
message_size_limit = 52428800
virtual_mailbox_limit = 52428800
# --- delivery: everything into Maildirs under $DIR/mail ---
virtual_mailbox_domains = regexp:$PF/vdomains
virtual_mailbox_base = $DIR/mail
virtual_mailbox_maps = regexp:$PF/vmailbox
virtual_transport = dovecot
dovecot_destination_recipient_limit = 1
# user+detail@domain lands in user's mailbox (VERP bounces+<message id>@domain -> bounces)
recipient_delimiter = +
transport_maps = regexp:$PF/transport
default_transport = error:5.7.1 testbed does not deliver off-box
relay_transport = error:5.7.1 testbed does not deliver off-box
# copy of every accepted message (bounces excluded) in one mailbox
always_bcc = catchall@$DOMAIN
# --- TLS (self-signed) ---
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
# --- SASL via Dovecot (unix socket relative to queue_directory) ---
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = noanonymous
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access regexp:$PF/rcpt_access, permit
EOF

  # chroot column is 'n' everywhere: the private dirs need no chroot setup
  cat >"$PF/master.cf" <<EOF
# plain SMTP, no TLS offered, AUTH offered but optional
127.0.0.1:$SMTP_PLAIN_PORT inet n - n - - smtpd
  -o syslog_name=postfix/plain
  -o smtpd_tls_security_level=none
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=no
# implicit TLS (SMTPS), AUTH required
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$PF/rcpt_access,permit_sasl_authenticated,reject
# submission: STARTTLS mandatory, AUTH only after STARTTLS, AUTH required
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$PF/rcpt_access,permit_sasl_authenticated,reject
$(standard_port_listeners)
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
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
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
# final delivery: Dovecot LDA as the mail owner, one recipient per call
dovecot   unix  -       n       n       -       -       pipe
  flags=DRhu user=$VMAIL_USER argv=/usr/lib/dovecot/dovecot-lda -c $DC/dovecot.conf -f \${sender} -a \${original_recipient} -d \${user}@\${nexthop}
failperm  unix  -       n       n       -       -       pipe
  flags=q user=$VMAIL_USER argv=$PF/fail.sh 67
failtemp  unix  -       n       n       -       -       pipe
  flags=q user=$VMAIL_USER argv=$PF/fail.sh 75
EOF

  # --- Dovecot: users (passwd-file, PLAIN scheme), full addresses as login names ---
  : >"$DC/users"
  for u in testuser catchall bounces; do
    echo "$u@$DOMAIN:{PLAIN}$PASS::::::" >>"$DC/users"
  done
  chown root:dovecot "$DC/users"; chmod 640 "$DC/users"
  local mechs="plain login" pwmechs="" oauth=""
  if [[ -n $OAUTH2_URL ]]; then
    mechs="plain login xoauth2 oauthbearer"
    # without this filter the oauth2 passdb would also accept a valid token as a PLAIN password
    pwmechs="  mechanisms = plain login"
    cat >"$DC/oauth2.conf.ext" <<EOS
introspection_mode = post
introspection_url = $OAUTH2_URL
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
debug = ${MAILTB_OAUTH2_DEBUG:-no}
EOS
    oauth="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $DC/oauth2.conf.ext
}"
  fi

  cat >"$DC/dovecot.conf" <<EOF
instance_name = testbed-mail
base_dir = $DC/run
state_dir = $DC/state
log_path = $DIR/log/dovecot.log
info_log_path = $DIR/log/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
default_internal_user = dovecot
default_login_user = dovenull
disable_plaintext_auth = no
auth_mechanisms = $mechs
auth_failure_delay = 0
auth_verbose = yes
auth_username_format = %Lu
mail_location = maildir:$DIR/mail/%d/%n
first_valid_uid = 100
postmaster_address = postmaster@$DOMAIN
protocol lda {
  log_path = $DIR/log/lda.log
  info_log_path = $DIR/log/lda.log
}
passdb {
  driver = passwd-file
$pwmechs
  args = scheme=PLAIN $DC/users
}
$oauth
userdb {
  driver = static
  # allow_all_users: dovecot-lda may deliver to any address without a passdb entry
  args = uid=$VMAIL_UID gid=$VMAIL_GID home=$DIR/mail/%d/%n allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
# Disable Dovecot's per-IP auth penalty (2,4,8,15 s delays after failures with different
# credentials from 127.0.0.1; Postfix gives up after ~10 s with "454 4.7.0 Temporary
# authentication failure"). Tests do many deliberate failures from one IP.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  # Postfix smtpd_sasl_path = private/auth (relative to its queue_directory)
  unix_listener $PF/queue/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
}

# The real-port listeners on STANDARD_PORTS_ADDR (nothing when it is empty).
standard_port_listeners() {
  [[ -n $STANDARD_PORTS_ADDR ]] || return 0
  cat <<LISTENERS
# port 25: STARTTLS offered, AUTH optional (like an MX or an internal relay)
$STANDARD_PORTS_ADDR:25 inet n - n - - smtpd
  -o syslog_name=postfix/std25
  -o smtpd_tls_security_level=may
  -o smtpd_sasl_auth_enable=yes
# port 465: implicit TLS, AUTH required
$STANDARD_PORTS_ADDR:465 inet n - n - - smtpd
  -o syslog_name=postfix/std465
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$PF/rcpt_access,permit_sasl_authenticated,reject
# port 587: STARTTLS required, AUTH only after it
$STANDARD_PORTS_ADDR:587 inet n - n - - smtpd
  -o syslog_name=postfix/std587
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$PF/rcpt_access,permit_sasl_authenticated,reject
LISTENERS
}

write_env() {
  cat >"$DIR/env.sh" <<EOF
export MAILTB_DIR=$DIR
export MAILTB_HOST=127.0.0.1
export MAILTB_SMTP_PLAIN_PORT=$SMTP_PLAIN_PORT
export MAILTB_SMTPS_PORT=$SMTPS_PORT
export MAILTB_SUBMISSION_PORT=$SUBMISSION_PORT
export MAILTB_IMAP_PORT=$IMAP_PORT
export MAILTB_IMAPS_PORT=$IMAPS_PORT
export MAILTB_STANDARD_PORTS_ADDR=$STANDARD_PORTS_ADDR
export MAILTB_DOMAIN=$DOMAIN
export MAILTB_USER=testuser@$DOMAIN
export MAILTB_PASS=$PASS
export MAILTB_CATCHALL_USER=catchall@$DOMAIN
export MAILTB_BOUNCES_USER=bounces@$DOMAIN
export MAILTB_MAILDIR_ROOT=$DIR/mail
export MAILTB_OAUTH2_INTROSPECTION_URL=$OAUTH2_URL
export MAILTB_OAUTH2_ISSUER=$OAUTH2_ISSUER
export MAILTB_OAUTH2_CLIENT_ID=$OAUTH2_CLIENT_ID
export MAILTB_OAUTH2_CLIENT_SECRET=$OAUTH2_CLIENT_SECRET
export MAILTB_CA_CERT=$DIR/tls/cert.pem
export MAILTB_CERT_SHA256=$(openssl x509 -in "$DIR/tls/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d :)
EOF
}

# Bounded background loop: once OWNER_PID has exited (or after WATCH_MAX_SECONDS), clean up.
# Detached from our stdio (pitfall 8); its PID goes to $DIR/watchdog.pid.
do_start() {
  [[ $(id -u) == 0 ]] || { log "must run as root"; exit 1; }
  do_stop
  mkdir -p "$DIR/log"
  [[ $OAUTH2_SERVER != yes ]] || start_oauth2_server
  write_configs
  # 'postfix check' (run by start) creates the queue tree with the right owners
  # NB: postfix prints fatal errors to stderr only when it is a tty; otherwise they go to
  # maillog_file (or syslog). Re-run 'script -qc "postfix -c DIR check" /dev/null' to see them.
  # daemons must not inherit our stdout/stderr, or `$(mailserver.sh start)` / `| tail` never ends
  postfix -c "$PF" start </dev/null >/dev/null 2>&1 || {
    log "postfix start failed:"; tail -n 20 "$DIR/log/postfix.log" >&2 2>/dev/null || true
    script -qc "postfix -c $PF check" /dev/null >&2 || true; exit 1; }
  dovecot -c "$DC/dovecot.conf" </dev/null >>"$DIR/log/dovecot-start.log" 2>&1 || {
    log "dovecot start failed:"; cat "$DIR/log/dovecot-start.log" >&2; exit 1; }
  for p in "$SMTP_PLAIN_PORT" "$SMTPS_PORT" "$SUBMISSION_PORT" "$IMAP_PORT" "$IMAPS_PORT"; do
    wait_port 127.0.0.1 "$p" 15
  done
  if [[ -n $STANDARD_PORTS_ADDR ]]; then
    for p in 25 465 587; do wait_port "$STANDARD_PORTS_ADDR" "$p" 15; done
  fi
  # the auth socket must exist before the first AUTH
  for ((i = 0; i < 100; i++)); do [[ -S $PF/queue/private/auth ]] && break; sleep 0.1; done
  write_env
  [[ -z $OWNER_PID ]] || start_watchdog MAILTB_DIR="$DIR" MAILTB_OWNER_PID= MAILTB_IN_WATCHDOG=1
  log "up: dir=$DIR plain=$SMTP_PLAIN_PORT smtps=$SMTPS_PORT submission=$SUBMISSION_PORT imap=$IMAP_PORT imaps=$IMAPS_PORT"
  log "postfix pid $(tr -dc 0-9 <"$PF/queue/pid/master.pid"), dovecot pid $(cat "$DC/run/master.pid")"
  echo "$DIR/env.sh"
}

case ${1:-} in
  start) do_start ;;
  stop) do_stop ;;
  clean) do_stop; remove_dir "$DIR" ;;
  status)
    for f in "$PF/queue/pid/master.pid" "$DC/run/master.pid"; do
      if [[ -f $f ]] && pid_alive "$(tr -dc 0-9 <"$f")"; then echo "running: $f"; else echo "stopped: $f"; fi
    done ;;
  *) echo "usage: $0 start|stop|clean|status" >&2; exit 2 ;;
esac
