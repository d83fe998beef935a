#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis the tests use are up. A server that is installed
# here but stopped is started; a missing one stops the run with one line saying how to
# get it.
set -u
PGHOST_=127.0.0.1
PGPORT_=5432
# postgres://user@host:port/name: take host and port from DATABASE_URL when it is set.
if [[ "${DATABASE_URL:-}" =~ ^postgres(ql)?://([^@/]*@)?([^:/]+)(:([0-9]+))? ]]; then
  PGHOST_=${BASH_REMATCH[3]}
  PGPORT_=${BASH_REMATCH[5]:-5432}
fi
REDIS_URL_=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
REDIS_HOSTPORT=${REDIS_URL_#redis://}
REDIS_HOSTPORT=${REDIS_HOSTPORT%%/*}
REDIS_HOST=${REDIS_HOSTPORT%%:*}
REDIS_PORT=${REDIS_HOSTPORT##*:}

pg_up() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PGHOST_" -p "$PGPORT_"
  else
    (exec 3<>"/dev/tcp/$PGHOST_/$PGPORT_") 2>/dev/null
  fi
}

redis_up() {
  if command -v redis-cli >/dev/null 2>&1; then
    [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT") 2>/dev/null
  fi
}

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    echo "Starting PostgreSQL..."
    for version in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
  if ! pg_up; then
    echo "PostgreSQL is not running on $PGHOST_:$PGPORT_ and is not installed here: start one with 'docker compose up -d db redis' (or install postgresql)." >&2
    exit 1
  fi
fi

if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis..."
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
  fi
  if ! redis_up; then
    echo "Redis is not running on $REDIS_HOST:$REDIS_PORT and is not installed here: start one with 'docker compose up -d db redis' (or install redis-server)." >&2
    exit 1
  fi
fi
