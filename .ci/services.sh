#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that the test suite uses are running, and
# that Debian's Chromium is there for the browser tests (never a downloaded browser).
# Uses running ones when found (127.0.0.1:5432, 127.0.0.1:6379); otherwise, as
# root on Debian, installs them from Debian packages and starts them.
set -euo pipefail

pg_up()    { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }

updated=""
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "cannot install $* here (need root and apt-get): start PostgreSQL on 127.0.0.1:5432" \
         "and Redis on 127.0.0.1:6379, or set JIEDAN_TEST_POSTGRES_URL / JIEDAN_TEST_REDIS_URL" >&2
    exit 1
  fi
  if [ -z "$updated" ]; then apt-get update -qq; updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() {  # name, check function
  for _ in $(seq 1 60); do "$2" && return 0; sleep 0.5; done
  echo "$1 did not come up" >&2; exit 1
}

if [ -z "${JIEDAN_TEST_POSTGRES_URL:-}" ] && ! pg_up; then
  echo "PostgreSQL is not running on 127.0.0.1:5432: installing/starting it..."
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  # A throwaway local test server: trust local TCP connections, as CI's does.
  if ! grep -q "jiedan-test" "$hba"; then
    sed -i 's/^\(host\s.*\s\)\(scram-sha-256\|md5\)\s*$/\1trust/' "$hba"
    echo "# jiedan-test: trust on loopback" >> "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster "$ver" main start
  wait_for PostgreSQL pg_up
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test"
fi

if [ -z "${JIEDAN_TEST_REDIS_URL:-}" ] && ! redis_up; then
  echo "Redis is not running on 127.0.0.1:6379: installing/starting it..."
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/jiedan-test.log
  wait_for Redis redis_up
fi
CHROMIUM="${JIEDAN_TEST_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is not installed: installing Debian's chromium for the browser tests..."
    # A CJK font, so the screenshots the browser tests keep show the Chinese pages legibly.
    apt_install chromium fonts-wqy-microhei
  else
    echo "warning: no Chromium at $CHROMIUM and cannot install it (need root and apt-get):" \
         "the browser tests will fail; install Debian's chromium or set JIEDAN_TEST_CHROMIUM" >&2
  fi
fi
echo "services: PostgreSQL and Redis are up; Chromium at $CHROMIUM"
