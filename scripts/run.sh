#!/usr/bin/env bash
# Runs the omnihub hub in the foreground on this machine.
#
# Installs missing Debian packages, builds (Release) into build/, then hands over to
# omnihub-supervisor, which runs every service of deploy/services.manifest with the
# embedded default config (ipc:// sockets and data under var/ in the working
# directory): a service that exits or is killed is restarted within 2 s (crash loops
# back off), its output goes to the terminal prefixed "[service] " and to
# var/log/<service>.log, and Ctrl-C or SIGTERM stops every service (SIGTERM, then
# SIGKILL after its grace period) and exits 0. Beside the services the supervisor runs
# this script's setup phase once: on the first start it loads a small sample
# (deploy/sample/sample-events.jsonl), then the relationship-metrics sample
# (deploy/sample/relationship-sample.jsonl, made by scripts/make-sample-data.py: a few
# hundred customers over six months in five languages) and creates the agent API's "admin" token
# (printed that once), then it prints the omnihubctl commands that show the sample
# customers' unified timelines and a one-time login link to the agent console
# (docs/api.md "Auth"). See docs/supervisor.md.
#
# Needs only bash, coreutils and util-linux (flock): no ps/pkill.
set -euo pipefail

# The sample's customers (see deploy/sample/sample-events.jsonl): omnihubctl
# arguments and what each shows, printed once the hub is up.
SAMPLE_COMMANDS=(
  "timeline phone:+4915112345678|Jonas: SMS and WhatsApp in one timeline"
  "timeline whatsapp:+4915112345678|the same customer, found by WhatsApp number"
  "timeline email:ana@example.com|Ana: a password-reset email thread"
  "timeline phone:+12025550143|Mateo: a delivery question by SMS"
  "timeline whatsapp:+13125550188|Lena: a return on WhatsApp"
  "lookup email:ana@example.com|the customer record behind a timeline"
  "stats|the unifier's counters"
  "metrics --by month|relationship metrics by month: first response, first-contact resolution, retention (docs/metrics.md)"
)

READY_TIMEOUT_S=${OMNIHUB_READY_TIMEOUT:-60}
INJECT_TIMEOUT_S=120

usage() {
  cat <<'USAGE'
Usage: scripts/run.sh [--no-build] [--workdir DIR]

  --no-build     use the binaries as they are (no package install, no build)
  --workdir DIR  directory that holds var/ (data, sockets, logs); default: repo root

Environment:
  OMNIHUB_BIN_DIR        take the binaries from this directory (implies --no-build)
  OMNIHUB_CONFIG         config file for every process (default: embedded config)
  OMNIHUB_READY_TIMEOUT  seconds to wait for the unifier to answer (default 60)
USAGE
}

die() {
  printf 'run.sh: error: %s\n' "$*" >&2
  exit 1
}

say() {
  printf 'run.sh: %s\n' "$*" >&2
}

# --- setup phase (run by omnihub-supervisor beside the services) ----------------

shown_command() {  # how the user types omnihubctl from the working directory
  local rel=${RUN_CTL#"$RUN_WORKDIR"/}
  if [[ $rel != "$RUN_CTL" ]]; then printf '%q' "$rel"; else printf '%q' "$RUN_CTL"; fi
}

print_hints() {
  local cmd entry args width=0
  cmd=$(shown_command)
  for entry in "${SAMPLE_COMMANDS[@]}"; do
    args="$cmd ${entry%%|*}"
    ((${#args} <= width)) || width=${#args}
  done
  printf '\nomnihub is running. Data: %s  Logs: %s\n' "$RUN_WORKDIR/var" "$RUN_WORKDIR/var/log"
  printf 'Try these from %s:\n\n' "$RUN_WORKDIR"
  if [[ $RUN_ORIG_PWD != "$RUN_WORKDIR" ]]; then
    printf '    cd %q\n' "$RUN_WORKDIR"
  fi
  for entry in "${SAMPLE_COMMANDS[@]}"; do
    printf '    %-*s  # %s\n' "$width" "$cmd ${entry%%|*}" "${entry#*|}"
  done
  printf '\nChannels (embedded default config):\n\n'
  printf '    email  SMTP 127.0.0.1:2525, LMTP 127.0.0.1:2424:  swaks --server 127.0.0.1:2525 --to support@example.com\n'
  printf '    sms    webhooks on http://127.0.0.1:8081: /twilio/default/messages, /twilio/default/status,\n'
  printf '           /vonage/default/inbound, /vonage/default/dlr (development secrets: docs/sms.md)\n'
  printf '    social webhooks on http://127.0.0.1:8082: GET|POST /meta/default (Messenger, Instagram,\n'
  printf '           WhatsApp), POST /telegram/default, GET|POST /x/default (development secrets: docs/social.md)\n'
  print_console
  printf '\nCtrl-C stops the hub.\n'
}

# The agent console: the "admin" API token (created, and printed, only when there is no
# active token of that name) and a one-time login link for it. Failures are warnings: the
# rest of the hub works without the API.
print_console() {
  local tokens made link url api_bin
  api_bin=$(dirname "$RUN_CTL")/omnihub-api
  if [[ ! -x $api_bin ]]; then
    say "omnihub-api is not built; no agent console"
    return 0
  fi
  if ! tokens=$("$RUN_CTL" token list 2>&1); then
    say "WARNING: omnihubctl token list failed: $tokens"
    return 0
  fi
  # One compact JSON object per line; an active token has "revoked_at":null.
  if ! grep '"name":"admin"' <<<"$tokens" | grep -q '"revoked_at":null'; then
    if ! made=$("$RUN_CTL" token create --scope read,write,ingest,admin --name admin 2>&1); then
      say "WARNING: could not create the admin API token: $made"
      return 0
    fi
    printf '\nAPI token "admin" (all scopes; shown only now, keep it: Authorization: Bearer <token>):\n\n'
    printf '    %s\n' "$(json_string token <<<"$made")"
  fi
  if ! link=$("$RUN_CTL" token login admin 2>&1); then
    say "WARNING: could not make a console login link: $link"
    return 0
  fi
  url=$(json_string login_url <<<"$link")
  wait_for_url "${url%%/login\?code=*}"
  printf '\nConsole: %s/  (one-time login: %s)\n' "${url%%/login\?code=*}" "$url"
}

json_string() {  # json_string KEY < one compact JSON object: the value of a string member
  sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p'
}

# Waits up to READY_TIMEOUT_S for an http://HOST:PORT URL to accept connections (bash's
# /dev/tcp), so the printed link works when it is printed; other URLs are not waited for.
wait_for_url() {
  local host port deadline=$((EPOCHSECONDS + READY_TIMEOUT_S))
  [[ $1 =~ ^http://([^/:]+):([0-9]+)$ ]] || return 0
  host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
  until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
    if ((EPOCHSECONDS >= deadline)); then
      say "WARNING: nothing answers on $1 yet (see var/log/omnihub-api.log)"
      return 0
    fi
    sleep 0.2
  done
}

alive() {  # true while PID exists and is not a zombie
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# Waits until the unifier answers, loads the sample on the first start, prints the
# commands to try. Exits non-zero if the hub never came up, which makes the
# supervisor stop everything. On TERM it stops the omnihubctl it runs.
setup_phase() {
  local child='' errors=$RUN_WORKDIR/var/run/setup.err deadline marker=$RUN_WORKDIR/var/.sample-loaded
  local samples=("$RUN_REPO/deploy/sample/sample-events.jsonl" "$RUN_REPO/deploy/sample/relationship-sample.jsonl")
  local sample rc now
  trap '' INT HUP
  trap 'stop_child; exit 143' TERM
  # shellcheck disable=SC2317  # called from the TERM trap
  stop_child() {  # polls rather than waits: a "wait" a trap interrupted can lose the status
    local tries=0
    [[ -n $child ]] || return 0
    kill -TERM "$child" 2>/dev/null || true
    while alive "$child" && ((tries < 30)); do
      sleep 0.1
      tries=$((tries + 1))
    done
  }
  bounded() {  # bounded SECONDS CMD...: runs CMD with a time limit
    local secs=$1 status=0
    shift
    timeout -k 2 "$secs" "$@" &
    child=$!
    wait "$child" || status=$?
    child=
    return "$status"
  }

  deadline=$((EPOCHSECONDS + READY_TIMEOUT_S))
  until bounded 5 "$RUN_CTL" stats >/dev/null 2>"$errors"; do
    now=$EPOCHSECONDS
    if ((now >= deadline)); then
      printf 'run.sh: error: the unifier did not answer "omnihubctl stats" within %d s:\n' "$READY_TIMEOUT_S" >&2
      sed 's/^/  /' "$errors" >&2
      printf 'run.sh: see %s\n' "$RUN_WORKDIR/var/log/omnihub-unifier.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  rm -f "$errors"

  if [[ -e $marker ]]; then
    say "sample already loaded (remove $marker and the data to load it again)"
  else
    rc=0
    for sample in "${samples[@]}"; do
      if [[ ! -f $sample ]]; then
        say "no sample at $sample; skipping it"
        continue
      fi
      say "first start: loading the sample ($sample)"
      bounded "$INJECT_TIMEOUT_S" "$RUN_CTL" inject "$sample" >&2 || rc=$?
      if ((rc != 0)); then
        say "WARNING: loading the sample failed (status $rc); the hub keeps running"
        break
      fi
    done
    # The marker only once everything is in: a rerun of inject resumes a file it started.
    if ((rc == 0)); then
      : >"$marker"
    fi
  fi
  print_hints
}

if [[ ${1:-} == --setup-phase ]]; then
  setup_phase
  exit 0
fi

# --- arguments and paths -----------------------------------------------------

no_build=0
workdir=
while (($# > 0)); do
  case $1 in
    --no-build) no_build=1 ;;
    --workdir) (($# >= 2)) || die "--workdir needs a directory"; workdir=$2; shift ;;
    --workdir=*) workdir=${1#--workdir=} ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done

orig_pwd=$PWD
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest=$repo_root/deploy/services.manifest

absolute() {
  case $1 in
    /*) printf '%s' "$1" ;;
    *) printf '%s/%s' "$orig_pwd" "$1" ;;
  esac
}

if [[ -n ${OMNIHUB_BIN_DIR:-} ]]; then
  bin_dir=$(absolute "$OMNIHUB_BIN_DIR")
  if ((!no_build)); then
    say "using binaries from OMNIHUB_BIN_DIR=$bin_dir; not building"
    no_build=1
  fi
else
  bin_dir=$repo_root/build/bin
fi
workdir=$(absolute "${workdir:-$repo_root}")
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)

# The manifest's binaries (columns: name binary ready stop_grace_s).
binaries=()
while read -r _ binary _; do
  binaries+=("$binary")
done < <(grep -v '^[[:space:]]*\(#\|$\)' "$manifest")

# --- install and build -------------------------------------------------------

if ((!no_build)); then
  cd "$repo_root"
  ./scripts/install-deps.sh >&2
  if ! configure_out=$(cmake -S . -B build -DCMAKE_BUILD_TYPE=Release 2>&1); then
    printf '%s\n' "$configure_out" >&2
    die "cmake configure failed"
  fi
  # Build only the hub's binaries (not the tests) when the generator lists them.
  targets=()
  names=()
  target_list=$(cmake --build build --target help 2>/dev/null || true)
  for t in "${binaries[@]}" omnihubctl omnihub-supervisor; do
    if grep -qx "\.\.\. $t" <<<"$target_list"; then
      targets+=(--target "$t")
      names+=("$t")
    fi
  done
  say "building ${names[*]:-everything} (Release)"
  cmake --build build -j"$(nproc)" "${targets[@]}" >&2
fi

for name in omnihubctl omnihub-supervisor omnihub-unifier; do
  [[ -x $bin_dir/$name ]] || die "$bin_dir/$name not found: build first (scripts/run.sh without --no-build)"
done

# --- working directory, lock ---------------------------------------------------

# The default config's paths (var/...) are relative to the working directory,
# so every process, and every printed command, runs from there.
cd "$workdir"
mkdir -p var/run var/log

# Held by the supervisor (exec keeps the descriptor) for its whole life; it closes
# it in the services, so that a leftover service never keeps a later run.sh out.
exec {lock_fd}>var/run/run.lock
if command -v flock >/dev/null 2>&1 && ! flock -n "$lock_fd"; then
  die "another scripts/run.sh is already running in $workdir"
fi

say "working directory $workdir; binaries from $bin_dir"
export RUN_CTL=$bin_dir/omnihubctl RUN_WORKDIR=$workdir RUN_ORIG_PWD=$orig_pwd RUN_REPO=$repo_root
exec "$bin_dir/omnihub-supervisor" --manifest "$manifest" --bin-dir "$bin_dir" \
  --run-dir var/run --log-dir var/log --pid-file var/run/run.pid --skip-missing \
  -- "$BASH" "$repo_root/scripts/run.sh" --setup-phase
