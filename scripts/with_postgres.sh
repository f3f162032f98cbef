#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#
#   scripts/with_postgres.sh .venv/bin/pytest -n 2
#   scripts/with_postgres.sh sh -c 'psql "$DATABASE_URL" -c "select 1"'
#
# initdb into a temporary directory, start on a free 127.0.0.1 port (unix socket inside that directory),
# create database `kintsugi` owned by superuser `kintsugi` (trust auth), export
# DATABASE_URL=postgres://kintsugi@127.0.0.1:PORT/kintsugi, run the command, then stop the cluster and delete
# the directory, also when the command fails or is interrupted. Durability is switched off for speed.
# As root (CI), PostgreSQL runs as the system user kintsugi-pg, created if missing, since initdb refuses root.
# PG_BINDIR overrides where initdb and pg_ctl are found.
set -euo pipefail

[ "$#" -gt 0 ] || { echo "usage: scripts/with_postgres.sh COMMAND [ARGS...]" >&2; exit 2; }
die() { echo "with_postgres: $*" >&2; exit 1; }

find_bindir() {
    local dir
    if [ -n "${PG_BINDIR:-}" ]; then
        echo "$PG_BINDIR"
        return
    fi
    dir="$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir)"
        if [ -x "$dir/initdb" ]; then
            echo "$dir"
            return
        fi
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    die "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql, or set PG_BINDIR"
}

free_port() {
    local py
    for py in "${PYTHON:-}" "${VENV:-.venv}/bin/python" python3 python; do
        if [ -n "$py" ] && "$py" -c 'pass' >/dev/null 2>&1; then
            "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
            return
        fi
    done
    die "no working python to pick a free port"
}

BIN="$(find_bindir)"
for tool in initdb pg_ctl createdb; do
    [ -x "$BIN/$tool" ] || die "$BIN/$tool missing"
done

if [ "$(id -u)" -eq 0 ]; then
    PG_OS_USER="${PG_OS_USER:-kintsugi-pg}"
    if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER" \
            || id -u "$PG_OS_USER" >/dev/null 2>&1 || die "could not create system user $PG_OS_USER"
    fi
    as_pg() { runuser -u "$PG_OS_USER" -- "$@"; }
    # The server user must be able to reach the directory, so stay out of a root-only TMPDIR.
    TMP_PARENT=/tmp
else
    as_pg() { "$@"; }
    TMP_PARENT="${TMPDIR:-/tmp}"
fi

PGTMP="$(mktemp -d "$TMP_PARENT/kintsugi-pg.XXXXXX")"
DATA="$PGTMP/data"
LOG="$PGTMP/postgres.log"

cleanup() {
    local status=$?
    if [ -f "$DATA/postmaster.pid" ]; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGTMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkdir "$PGTMP/sock"
[ "$(id -u)" -ne 0 ] || chown -R "$PG_OS_USER": "$PGTMP"

if ! as_pg "$BIN/initdb" -D "$DATA" -U kintsugi --auth=trust --encoding=UTF8 --no-locale --no-sync \
    >"$PGTMP/initdb.log" 2>&1; then
    cat "$PGTMP/initdb.log" >&2
    die "initdb failed"
fi
cat >>"$DATA/postgresql.conf" <<CONF

# scripts/with_postgres.sh: a throwaway cluster for tests, durability off for speed.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGTMP/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF

# The free port can be taken between choosing and binding it; try a few.
started=0
for _ in 1 2 3; do
    PORT="$(free_port)"
    if as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $PORT" -w -t 60 start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" -ne 1 ]; then
    cat "$LOG" >&2 || true
    die "PostgreSQL did not start"
fi

"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U kintsugi kintsugi
export DATABASE_URL="postgres://kintsugi@127.0.0.1:$PORT/kintsugi"
echo "with_postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') at $DATABASE_URL" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
