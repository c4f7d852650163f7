#!/usr/bin/env bash
# Runs an omnihub benchmark and writes its figures to bench-results/<name>.json.
#
#   scripts/bench.sh [core] [--rounds N] [omnihub-bench-ingest options]
#   scripts/bench.sh email [--messages N] [--sessions N] [--size BYTES] [--rounds N] [--warmup N] [--inject]
#   scripts/bench.sh sms [--connections N] [--seconds S] [--rounds N] [--no-trivial]
#   scripts/bench.sh social [--connections N] [--seconds S] [--rounds N] [--no-trivial]
#   scripts/bench.sh growth [--points 0,1M,5M,10M] [--rounds N]
#   scripts/bench.sh search [--messages N] [--customers M] [--queries Q]
#   scripts/bench.sh erasure [--events N] [--others M] [--rounds R]
#   scripts/bench.sh api [--events N] [--seconds S] [--connections C] [--sse-clients N]
#   scripts/bench.sh sizing [--events N]
#   scripts/bench.sh metrics [--events N] [--customers M] [--queries K] [--rounds N]
#   scripts/bench.sh cluster [--events N] [--latency-events L] [--customers M] [--rounds N]
#
# core, email, sms, social and growth run 3 rounds by default (--rounds) and print every
# figure as median and range (min-max) over them; the JSON holds the same and each round.
# core (the default): end-to-end ingest through a real omnihub-unifier and the
# durable publisher, against the raw synced RocksDB rate on the same disk; also the
# unifier's CPU per event.
# email: 5 KB messages from 20 concurrent SMTP clients (Postfix's smtp-source)
# through omnihub-email until the unifier has committed them, against a private Postfix
# instance receiving the same messages into its queue in the same round. Must run as
# root (`postfix start` with a private config directory needs it).
# sms: signed Twilio webhooks from 64 connections (wrk), answered once durable, the
# unifier committing, against nginx answering a static 200 to the same POSTs (same wrk
# settings) started by the benchmark from a private prefix, and removed afterwards.
# social: signed WhatsApp Cloud deliveries of two messages each from 64 connections (wrk)
# through omnihub-social, the unifier committing, against nginx the same way.
# growth: ingest rate (omnihubctl inject) and the 50-event timeline page p99 through
# omnihub-api (wrk, as the api benchmark) at each number of stored events; may take an
# hour at the default points, and is not part of the test suite.
# search: N short messages in six scripts through the unifier's apply code into a store, the
# search indexer following its change log into Xapian, then searches of several kinds:
# ingest and indexing rates, index size per million messages, search latency p50/p99.
# erasure: omnihubctl customer erase of one customer with N events (default 10,000) among M
# other events, vs the time the same hub took to ingest that customer's events.
# api: GET /api/v1/customers/{id}/timeline?limit=50 latency p50/p99 (wrk, 32 connections)
# over 1,000,000 events of 100,000 customers plus customers with 10, 1,000 and 100,000 events,
# against PostgreSQL 15 serving the same page from an equivalent indexed table (over a minimal
# HTTP front, and pgbench), and the live-update fan-out to 1,000 SSE clients; its figures go
# to build/bench-api.json. Installs wrk, postgresql-15 and python3-psycopg2 when missing.
# sizing: disk (store, search index) and memory (unifier, omnihub-api) per million events of a
# support-inbox mix through omnihubctl inject, for docs/operations.md "Sizing".
# metrics: the relationship metrics' cost: the same N events (default 200,000 of 10,000
# customers over 18 months, tests/e2e/metrics_timeline.py) through omnihubctl inject into a fresh
# hub with [metrics] enabled = false and one with true (alternating), events/s until committed
# and until the metrics applied every change (goal: on/off >= 0.9); then a 12-month report (by
# channel and without --by) through omnihubctl metrics and GET /api/v1/metrics, K = 20 times
# each: p50/p99 ms. 3 rounds by default, median and range as above.
# cluster: the same events (BENCH_EVENTS, default 100,000, then L = N/2 for the latency phase)
# through cluster mode - the adapters' log publisher into a 3-server nats-server cluster on
# loopback (one partition, R3, file storage) applied by two unifier replicas - and through a
# single host (ZeroMQ bus, one unifier), in the same round: peak events/s until applied and
# synced by every replica, and publish->applied p50/p99 at half the cluster's peak for both.
# On one machine this measures the overhead of cluster mode, not its scale. 3 rounds by
# default, median and range as above. Needs nats-server (installed when missing).
# docs/benchmarks.md explains the methods and the figures. Installs missing Debian
# packages (postfix for email, left unconfigured: the benchmark runs its own instance;
# nginx-light for sms and social, the service left alone: the benchmark runs its own) and
# builds Release into build/ first.
#
# Environment (options given on the command line win):
#   BENCH_EVENTS      events in the peak phase (default 100000)
#   BENCH_CUSTOMERS   customers they are spread over (default 10000)
#   BENCH_MESSAGES    messages the search benchmark indexes (default 1000000)
#   OMNIHUB_BENCH_API_EVENTS  events of the api benchmark's population (default 1000000;
#                     100000 for a quick run of a few minutes)
#   BENCH_WORKDIR     where the temporary databases and sockets go (default build/bench-work;
#                     keep it on the disk you want to measure, not on tmpfs)
#   OMNIHUB_BIN_DIR   take the binaries from here and skip install and build
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/bench.sh [BENCHMARK] [options for the benchmark binary]

Benchmarks:
  core    end-to-end ingest vs raw synced RocksDB (default), CPU per event
  email   SMTP (smtp-source, 20 sessions, 5 KB) to committed timeline vs Postfix queueing them (as root)
  sms     Twilio webhooks (wrk, 64 connections, signed) vs nginx answering the same POSTs
  social  WhatsApp Cloud deliveries of 2 messages (wrk, 64 connections, signed) vs nginx the same way
  growth  ingest rate and timeline page p99 at 0, 1M, 5M, 10M stored events (about an hour)
  search  full-text index over N short messages in six scripts: indexing vs ingest rate, size, latency
  erasure customer erase of a customer with 10,000 events (purge and byte scan included) vs ingesting them
  api     timeline page latency of omnihub-api (wrk, 32 connections) vs PostgreSQL 15, and SSE fan-out
  sizing  disk and memory per million events (store, search index, unifier and omnihub-api)
  metrics ingest with and without the relationship metrics (200,000 events), 12-month report p50/p99
  cluster cluster mode (3 NATS servers on loopback, 2 unifier replicas) vs one host, same events: overhead, not scale

Run "scripts/bench.sh core --help" for the core benchmark's options.
USAGE
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=core
if (($# > 0)) && [[ $1 != -* ]]; then
  name=$1
  shift
fi

case $name in
  core | email | sms | social | growth | search | erasure | api | sizing | metrics | cluster) ;;
  help)
    usage
    exit 0
    ;;
  *)
    echo "bench.sh: unknown benchmark '$name'" >&2
    usage >&2
    exit 2
    ;;
esac

if [[ $name == email ]] && ((EUID != 0)); then
  echo "bench.sh email: run as root: the Postfix anchor is a private instance, and 'postfix start' needs root" >&2
  exit 2
fi

if [[ -n ${OMNIHUB_BIN_DIR:-} ]]; then
  bin=$OMNIHUB_BIN_DIR
else
  "$repo/scripts/install-deps.sh"
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$repo/build" -j"$(nproc)"
  bin=$repo/build/bin
fi

results=$repo/bench-results
mkdir -p "$results"
json=$results/$name.json

workdir=${BENCH_WORKDIR:-$repo/build/bench-work}

# Installs the Debian packages named when the file after each is missing: install_missing
# PACKAGE PATH [PACKAGE PATH ...].
install_missing() {
  local missing=()
  while (($# >= 2)); do
    [[ -e $2 ]] || missing+=("$1")
    shift 2
  done
  ((${#missing[@]})) || return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" ||
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# Runs DRIVER (tests/bench/), which runs BINARY once per round: exec_binary_driver DRIVER BINARY [options].
exec_binary_driver() {
  local driver=$1 binary=$2
  shift 2
  exec python3 "$repo/tests/bench/$driver" \
    --binary "$bin/$binary" \
    --unifier "$bin/omnihub-unifier" \
    --workdir "$workdir" \
    --json "$json" \
    --events "${BENCH_EVENTS:-100000}" \
    --customers "${BENCH_CUSTOMERS:-10000}" \
    "$@"
}

if [[ $name == email ]]; then
  # smtp-source and the anchor ship with Postfix; "No configuration" keeps the system's
  # Postfix inert (the benchmark starts its own instance from a private config directory).
  [[ -x /usr/sbin/postfix ]] ||
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  install_missing postfix /usr/sbin/smtp-source
  OMNIHUB_BIN_DIR=$bin exec python3 "$repo/tests/bench/email_bench.py" --workdir "$workdir" --json "$json" "$@"
fi
if [[ $name == sms || $name == social ]]; then
  # The anchor: nginx-light (with its echo module) run by the benchmark from a private prefix.
  # Debian may start the packaged service (port 80) on installation; the benchmark does not use it.
  install_missing wrk /usr/bin/wrk nginx-light /usr/lib/nginx/modules/ngx_http_echo_module.so
  OMNIHUB_BIN_DIR=$bin exec python3 "$repo/tests/bench/${name}_bench.py" --workdir "$workdir" --json "$json" "$@"
fi
if [[ $name == growth ]]; then
  install_missing wrk /usr/bin/wrk
  OMNIHUB_BIN_DIR=$bin exec python3 "$repo/tests/bench/growth_bench.py" --workdir "$workdir" --json "$json" "$@"
fi

if [[ $name == api ]]; then
  install_missing wrk /usr/bin/wrk postgresql-15 /usr/lib/postgresql/15/bin/pgbench \
    python3-psycopg2 /usr/lib/python3/dist-packages/psycopg2/__init__.py
  # Debian's Python, where python3-psycopg2 is; the figures go to build/ as the issue asks.
  OMNIHUB_BIN_DIR=$bin exec /usr/bin/python3 "$repo/tests/bench/api_bench.py" --workdir "$workdir" \
    --json "$repo/build/bench-api.json" "$@"
fi
if [[ $name == sizing ]]; then
  OMNIHUB_BIN_DIR=$bin exec python3 "$repo/tests/bench/sizing_bench.py" --workdir "$workdir" --json "$json" "$@"
fi
if [[ $name == metrics ]]; then
  OMNIHUB_BIN_DIR=$bin exec python3 "$repo/tests/bench/metrics_bench.py" --workdir "$workdir" --json "$json" "$@"
fi
if [[ $name == cluster ]]; then
  install_missing nats-server /usr/sbin/nats-server
  exec_binary_driver cluster_bench.py omnihub-bench-cluster "$@"
fi
if [[ $name == erasure ]]; then
  OMNIHUB_BIN_DIR=$bin exec python3 "$repo/tests/bench/erasure_bench.py" --workdir "$workdir" --json "$json" "$@"
fi
if [[ $name == search ]]; then
  mkdir -p "$workdir"
  exec "$bin/omnihub-bench-search" --workdir "$workdir" --messages "${BENCH_MESSAGES:-1000000}" --json "$json" "$@"
fi

exec_binary_driver core_bench.py omnihub-bench-ingest "$@"
