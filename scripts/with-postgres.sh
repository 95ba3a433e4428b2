#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a private cluster (own temp dir, own loopback port, trust auth),
# creates the database kenes_test, exports
#   KENES_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/kenes_test
# runs COMMAND, and always tears the cluster down again, exiting with
# COMMAND's exit status (128+N if the script itself was killed by signal N).
#
# Made for `make test` on a fresh Debian 12 machine where we are root and no
# systemd runs, so it installs PostgreSQL 15 itself when missing and never
# relies on a system service or on the Debian default cluster.
set -euo pipefail

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly DB_NAME=kenes_test
readonly START_ATTEMPTS=3

if [[ $# -lt 1 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

log() { echo "with-postgres: $*" >&2; }
die() { log "$*"; exit 1; }

# --- 1. Make sure PostgreSQL 15 is installed ---------------------------------
if [[ ! -x "$PG_BIN/initdb" ]]; then
    [[ $(id -u) -eq 0 ]] || die "PostgreSQL 15 is missing and we are not root to install it"
    log "installing postgresql-15 (not found at $PG_BIN)"
    # The package's postinst may create and start a default "15/main" cluster
    # on port 5432. That is harmless: we never touch it, and we use our own
    # data directory and a free port below.
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15
    [[ -x "$PG_BIN/initdb" ]] || die "postgresql-15 installed but $PG_BIN/initdb is still missing"
fi
id -u postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist"

# --- helpers -----------------------------------------------------------------

# Quote arguments for POSIX sh, for the `su -c` fallback below (bash's
# printf %q may emit $'...' which dash does not understand).
sh_quote() {
    local arg out=""
    for arg in "$@"; do
        out+="'${arg//\'/\'\\\'\'}' "
    done
    printf '%s' "$out"
}

# The server refuses to run as root, so initdb/pg_ctl run as postgres. We cd
# into the temp dir first because postgres may not be allowed to enter the
# caller's working directory (initdb would complain about it).
as_postgres() {
    if command -v runuser >/dev/null 2>&1; then
        (cd "$tmpdir" && runuser -u postgres -- "$@")
    else
        (cd "$tmpdir" && su postgres -s /bin/sh -c "$(sh_quote "$@")")
    fi
}

# Ask the kernel for a currently free loopback port. Another process could
# grab it before the server binds it, hence the retry loop further down.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
    else
        # No python3: a random high port; the retry loop covers collisions.
        echo $((20000 + RANDOM % 40000))
    fi
}

# --- 6. Cleanup, installed before anything is created ------------------------
tmpdir=""
child=""
caught=""   # name of the signal that interrupted us, if any

# True if the command (background job $child) has ended within $1 seconds.
# Used only by cleanup (a trap), hence the SC2317 false positive.
# shellcheck disable=SC2317
child_gone_within() {
    local i
    for ((i = 0; i < $1 * 10; i++)); do
        kill -0 "$child" 2>/dev/null || return 0
        sleep 0.1
    done
    ! kill -0 "$child" 2>/dev/null
}

# Only called from traps, which shellcheck cannot see (SC2317 false positive).
# shellcheck disable=SC2317
cleanup() {
    local rc=$?
    set +e
    # A second Ctrl-C (or TERM) must not abort the cleanup half-way and leave
    # a server running; every step below is bounded by a timeout.
    trap - EXIT
    trap '' INT TERM
    # If we are leaving while the command still runs (signal), stop it first
    # so it does not keep using a database that is about to disappear.
    if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
        # A Ctrl-C from the terminal reached the command as well (same process
        # group): let it finish its own way first, e.g. pytest's summary.
        if [[ "$caught" != INT ]] || ! child_gone_within 5; then
            kill -TERM "$child" 2>/dev/null
            child_gone_within 10 || kill -KILL "$child" 2>/dev/null
        fi
        wait "$child" 2>/dev/null
    fi
    if [[ -n "$tmpdir" && -d "$tmpdir" ]]; then
        if [[ -f "$tmpdir/data/postmaster.pid" ]]; then
            as_postgres "$PG_BIN/pg_ctl" stop -D "$tmpdir/data" -m fast -w -t 30 >/dev/null 2>&1 ||
                as_postgres "$PG_BIN/pg_ctl" stop -D "$tmpdir/data" -m immediate -w -t 30 >/dev/null 2>&1
        fi
        # Last resort: never leave a postmaster running on a deleted data dir.
        # The command-line check guards against a stale pid now reused by an
        # unrelated process.
        if [[ -f "$tmpdir/data/postmaster.pid" ]]; then
            local pid
            pid=$(head -n 1 "$tmpdir/data/postmaster.pid" 2>/dev/null)
            if [[ "$pid" =~ ^[0-9]+$ ]] && grep -qF "$tmpdir/data" "/proc/$pid/cmdline" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null
            fi
        fi
        rm -rf "$tmpdir"
    fi
    exit "$rc"
}

# On INT/TERM exit with 128+N; the EXIT trap then does the cleanup.
# shellcheck disable=SC2317
on_signal() {
    caught=$1
    log "interrupted by SIG$1, cleaning up"
    case $1 in
        INT) exit 130 ;;
        *) exit 143 ;;
    esac
}

trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# --- 2. Private cluster directory and initdb ---------------------------------
# Always under /tmp rather than $TMPDIR: a caller's TMPDIR may sit inside a
# root-only directory that the postgres user cannot traverse.
tmpdir=$(mktemp -d /tmp/kenes-pg.XXXXXX)
chown postgres: "$tmpdir"
chmod 700 "$tmpdir"

# trust auth is fine: the server only listens on loopback and a socket in a
# 0700 directory, and it is deleted when we are done. --no-sync because a
# throwaway cluster does not need to survive a crash.
initdb_common=(-D "$tmpdir/data" -U postgres -E UTF8 --auth-local=trust --auth-host=trust --no-sync)
if ! as_postgres "$PG_BIN/initdb" "${initdb_common[@]}" --locale=C.UTF-8 >"$tmpdir/initdb.log" 2>&1; then
    # Some minimal systems lack the C.UTF-8 locale; the C locale works anywhere.
    log "initdb with --locale=C.UTF-8 failed, retrying with --no-locale"
    rm -rf "$tmpdir/data"
    if ! as_postgres "$PG_BIN/initdb" "${initdb_common[@]}" --no-locale >>"$tmpdir/initdb.log" 2>&1; then
        cat "$tmpdir/initdb.log" >&2
        die "initdb failed"
    fi
fi

# --- 3. Start on a free loopback port ----------------------------------------
port=""
for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    try_port=$(free_port)
    # fsync/synchronous_commit/full_page_writes off: faster tests, and
    # durability is pointless for a cluster that is deleted afterwards.
    if as_postgres "$PG_BIN/pg_ctl" start -D "$tmpdir/data" -l "$tmpdir/log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$try_port -c unix_socket_directories='$tmpdir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >>"$tmpdir/pg_ctl.log" 2>&1; then
        port=$try_port
        break
    fi
    log "server did not start on port $try_port (attempt $attempt/$START_ATTEMPTS)"
    # A failed start can still leave a postmaster behind (e.g. a timeout);
    # stop it before trying another port.
    as_postgres "$PG_BIN/pg_ctl" stop -D "$tmpdir/data" -m immediate >/dev/null 2>&1 || true
done
if [[ -z "$port" ]]; then
    cat "$tmpdir/pg_ctl.log" "$tmpdir/log" >&2 2>/dev/null || true
    die "could not start PostgreSQL"
fi

# --- 4. Test database ---------------------------------------------------------
"$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB_NAME"

# --- 5. Run the command -------------------------------------------------------
export KENES_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/$DB_NAME"
echo "== PostgreSQL 15 on 127.0.0.1:$port (throwaway cluster in $tmpdir) ==" >&2

# Run it in the background and `wait`, because bash only runs traps after a
# foreground child exits: a SIGTERM to this script would otherwise not clean
# up until the command finished by itself. A background job in a script
# would get stdin from /dev/null and ignore SIGINT/SIGQUIT; the explicit <&0
# and the trap reset keep it behaving like a foreground command (pdb works,
# Ctrl-C reaches it).
(
    trap - INT QUIT
    exec "$@"
) <&0 &
child=$!
rc=0
wait "$child" || rc=$?
child=""
exit "$rc"
