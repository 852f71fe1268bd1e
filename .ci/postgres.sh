# Sourced by .ci/run: a throwaway PostgreSQL cluster for the tests of the
# SQL store. pg_start BUILD installs Debian's postgresql if it is missing,
# creates a cluster in BUILD/pg (its own data directory), starts it on
# 127.0.0.1 on a free port, creates a database and exports
# PROVGRAPH_TEST_PG; pg_stop (run it from an EXIT trap) stops it.

pg_start() {
  local build=$1 bin
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "postgresql is not installed and this is not root: the PostgreSQL tests will skip"
      return 0
    fi
    echo "== apt-get install postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends postgresql >/dev/null ||
      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql >/dev/null; }
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR="$build/pg"
  rm -rf "$PG_DIR"
  mkdir -p "$PG_DIR"
  # initdb and postgres refuse to run as root: as root, the cluster runs as
  # the postgres user Debian's package creates.
  PG_AS=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  fi
  local port
  for port in $(shuf -i 20000-60000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  "${PG_AS[@]}" "$bin/initdb" -D "$PG_DIR/data" -U provgraph --auth=trust -E UTF8 >"$PG_DIR/initdb.log"
  # Durability is not tested here: fsync off makes the tests faster.
  "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o \
    "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$PG_DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  PG_BIN=$bin
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U provgraph provgraph
  export PROVGRAPH_TEST_PG="postgres://provgraph@127.0.0.1:$port/provgraph?sslmode=disable"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $PG_DIR"
}

pg_stop() {
  if [ -n "${PG_BIN:-}" ]; then
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    PG_BIN=
  fi
}
