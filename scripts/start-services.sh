#!/bin/sh
# Make sure the servers the tests use are installed and running: PostgreSQL (127.0.0.1:5432, user postgres,
# database `test`) and NATS with JetStream (127.0.0.1:4222).
#   - A server that is not installed is installed from Debian's packages (postgresql, nats-server). A freshly
#     installed PostgreSQL gets trust authentication on loopback only, as the test machines have; an existing
#     installation's configuration is never changed.
#   - Without apt-get, or without root/sudo, it names exactly what to install and fails.
#   - A server that is installed but down is started; the script fails when one does not come up.
# Idempotent: does nothing when both answer.
set -u

port_open() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

wait_port() {
    i=0
    while ! port_open "$1"; do
        i=$((i + 1))
        if [ "$i" -ge 30 ]; then
            echo "start-services: $2 did not come up on 127.0.0.1:$1" >&2
            return 1
        fi
        sleep 1
    done
}

fail() {
    echo "start-services: $*" >&2
    exit 1
}

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    SUDO="none"
fi

apt_install() {
    if ! command -v apt-get >/dev/null 2>&1 || [ "$SUDO" = "none" ]; then
        fail "cannot install '$*' (needs apt-get and root or sudo); install it by hand, then run again"
    fi
    echo "start-services: installing $*"
    $SUDO apt-get update -q >/dev/null || fail "apt-get update failed"
    # shellcheck disable=SC2086  # the package list is meant to split
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $* >/dev/null \
        || fail "apt-get install $* failed"
}

# --- PostgreSQL ----------------------------------------------------------------------------------------------
if ! port_open 5432; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
        apt_install postgresql
        version="$(ls /etc/postgresql | sort -n | tail -n 1)"
        [ -n "$version" ] || fail "PostgreSQL was installed but no cluster exists; run: pg_createcluster <version> main"
        hba="/etc/postgresql/$version/main/pg_hba.conf"
        # Only loopback, only this freshly made test cluster.
        $SUDO sh -c "printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' 'host all all ::1/128 trust' > '$hba'"
    fi
    version="$(ls /etc/postgresql | sort -n | tail -n 1)"
    echo "start-services: starting PostgreSQL $version"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_port 5432 PostgreSQL || exit 1
fi
command -v psql >/dev/null 2>&1 || fail "psql not found; install Debian's postgresql-client"
# The tests use database `test` (created here when missing).
if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" postgres 2>/dev/null | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" postgres >/dev/null \
        || fail "cannot create database 'test' as user postgres on 127.0.0.1 (trust authentication expected)"
fi

# --- NATS with JetStream -------------------------------------------------------------------------------------
if ! port_open 4222; then
    if [ ! -x /usr/sbin/nats-server ]; then
        apt_install nats-server
        # Debian's package may start its own server without JetStream; ours replaces it below.
        if port_open 4222; then
            pkill -x nats-server || true
            sleep 1
        fi
    fi
    echo "start-services: starting NATS with JetStream"
    $SUDO mkdir -p /var/lib/nats-server
    $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
        -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
    wait_port 4222 NATS || exit 1
fi
echo "start-services: PostgreSQL and NATS are up"
