#!/usr/bin/env bash
# `make run`: set up, then run the web server, the task workers, the timer loop and the mailbox receiver in the
# foreground.
# `make serve` (KINTSUGI_DEMO=0): the same without the demo organisation, for production (docs/deploy.md).
#
#   PORT=8001 scripts/run.sh   # also BIND_HOST (127.0.0.1), WEB_WORKERS (2 processes), WEB_THREADS (8 per worker),
#                              # TASK_WORKERS (2 db_worker processes)
#
# Ctrl-C or SIGTERM stops them all and exits 0; if one of them dies, the others are stopped and the script
# exits non-zero.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export VENV="${VENV:-.venv}"
BIND_HOST="${BIND_HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WEB_WORKERS="${WEB_WORKERS:-2}"
TASK_WORKERS="${TASK_WORKERS:-2}"   # db_worker processes: two read a burst of mail ~40 % faster than one
WEB_THREADS="${WEB_THREADS:-8}"   # request threads per worker; reads compute 3 at a time (READ_CONCURRENCY)
export PORT   # settings read it for SITE_URL
PY="$VENV/bin/python"

say() { echo "run: $*" >&2; }

scripts/env.sh runtime

port_free='import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT leftovers are fine
s.bind((sys.argv[1], int(sys.argv[2])))'
if ! "$PY" -c "$port_free" "$BIND_HOST" "$PORT" 2>/dev/null; then
    say "$BIND_HOST:$PORT is already in use; choose another with PORT=..."
    exit 1
fi

scripts/compile_messages.sh
"$PY" manage.py check --fail-level ERROR >/dev/null   # a refused production start stops here, said plainly
"$PY" manage.py migrate --noinput
if [ "${KINTSUGI_DEMO:-1}" != "0" ]; then
    "$PY" manage.py load_demo
elif [ "$("$PY" manage.py shell --no-imports -c 'from kintsugi.accounts.models import Organisation; print(Organisation.objects.exists())')" != "True" ]; then
    say "no organisation yet: create yours with  $PY manage.py init_organisation"
fi
"$PY" manage.py collectstatic --noinput --verbosity 0

# The web workers' request metrics, added up by /metrics (kintsugi/ops/metrics.py); a fresh start counts afresh.
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-${KINTSUGI_DATA_DIR:-var}/metrics}"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

declare -A name_of=()
start() {
    local name="$1"
    shift
    # Each child leads its own session and process group, so a stop reaches its own children too (granian's
    # workers) and the terminal's Ctrl-C comes only to this script, which then stops everything in order.
    setsid "$@" &
    name_of[$!]="$name"
}

stop_all() {
    local pid
    for pid in "${!name_of[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 100); do   # up to 10 s to finish what they are doing
        local alive=0
        for pid in "${!name_of[@]}"; do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" -eq 1 ] || break
        sleep 0.1
    done
    for pid in "${!name_of[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}

on_signal() {
    trap '' INT TERM HUP
    echo >&2
    say "stopping"
    stop_all
    exit 0
}
trap on_signal INT TERM HUP

start web "$VENV/bin/granian" --interface wsgi kintsugi.wsgi:application \
    --host "$BIND_HOST" --port "$PORT" --workers "$WEB_WORKERS" --blocking-threads "$WEB_THREADS"
for n in $(seq 1 "$TASK_WORKERS"); do
    start "worker$n" "$PY" manage.py db_worker --worker-id "$(hostname)-$n"
done
start timers "$PY" manage.py run_timers
start mailboxes "$PY" manage.py run_mailboxes

# Print the address once the server answers, so it is not lost above the servers' start-up lines.
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/$BIND_HOST/$PORT") 2>/dev/null && break
    sleep 0.2
done
if [ "${KINTSUGI_DEMO:-1}" != "0" ]; then
    logins="Demo logins (password: kintsugi): agent, supervisor, manager, admin"
else
    logins="No demo data: sign in as the administrator init_organisation created"
fi
cat >&2 <<BANNER

  Kintsugi is running at http://$BIND_HOST:$PORT/
  $logins
  Ctrl-C stops it.

BANNER

set +e
wait -n -p ended "${!name_of[@]}"
status=$?
set -e
trap '' INT TERM HUP
say "${name_of[$ended]} stopped (exit status $status); stopping the others"
unset "name_of[$ended]"
stop_all
[ "$status" -ne 0 ] || status=1
exit "$status"
