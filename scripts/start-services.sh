#!/bin/sh
# Start the local services the tests use, if they are not running: PostgreSQL (127.0.0.1:5432, database `test`)
# and NATS with JetStream (127.0.0.1:4222). Idempotent; the commands are this machine kind's documented ones.
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
        [ "$i" -ge 30 ] && { echo "start-services: $2 did not come up on port $1" >&2; return 1; }
        sleep 1
    done
}

if ! port_open 5432; then
    echo "start-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    wait_port 5432 PostgreSQL
fi
# The tests use database `test` (created here when missing).
if command -v psql >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" postgres 2>/dev/null | grep -q 1 \
        || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" postgres >/dev/null 2>&1 || true
fi

if ! port_open 4222; then
    echo "start-services: starting NATS with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
        -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
    wait_port 4222 NATS
fi
echo "start-services: PostgreSQL and NATS are up"
