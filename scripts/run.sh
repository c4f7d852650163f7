#!/usr/bin/env bash
# Runs the omnihub hub in the foreground on this machine.
#
# Installs missing Debian packages, builds (Release) into build/, then starts every
# service process under supervision with the embedded default config (ipc://
# sockets and data under var/ in the working directory). A service that exits or
# is killed is restarted within 2 s. On the first start it loads a small sample
# (deploy/sample/sample-events.jsonl) and prints the omnihubctl commands that show
# the sample customers' unified timelines. Ctrl-C or SIGTERM stops every service
# (SIGTERM, then SIGKILL after a grace period) and exits 0.
#
# Needs only bash, coreutils, sed and util-linux (setsid, flock): no ps/pkill.
# The supervision itself is scripts/supervise.sh.
set -euo pipefail

# The supervised service processes, in start order. Adding a service is one line;
# a listed binary that is not built is skipped with a notice.
SERVICES=(
  omnihub-unifier
  omnihub-email
  omnihub-sms
)

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
  for t in "${SERVICES[@]}" omnihubctl; do
    if grep -qx "\.\.\. $t" <<<"$target_list"; then
      targets+=(--target "$t")
      names+=("$t")
    fi
  done
  say "building ${names[*]:-everything} (Release)"
  cmake --build build -j"$(nproc)" "${targets[@]}" >&2
fi

ctl=$bin_dir/omnihubctl
[[ -x $ctl ]] || die "$ctl not found: build first (scripts/run.sh without --no-build)"
active=()
for name in "${SERVICES[@]}"; do
  if [[ -x $bin_dir/$name ]]; then
    active+=("$name")
  elif [[ $name == omnihub-unifier ]]; then
    die "$bin_dir/$name not found: build first (scripts/run.sh without --no-build)"
  else
    say "skipping $name: not built"
  fi
done

# --- working directory, lock, logs ---------------------------------------------

# The default config's paths (var/...) are relative to the working directory,
# so every process, and every printed command, runs from there.
cd "$workdir"
var_dir=$workdir/var
run_dir=$var_dir/run
log_dir=$var_dir/log
mkdir -p "$run_dir" "$log_dir"

# Held for the life of this script; services get it closed so that a leftover
# service never keeps a later run.sh out.
exec {lock_fd}>"$run_dir/run.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n "$lock_fd"; then
  die "another scripts/run.sh is already running in $workdir"
fi

# Services left over from a run.sh that was killed (SIGKILL) would hold the
# database lock; say so instead of crash-looping against them.
for name in "${active[@]}"; do
  pid_file=$run_dir/$name.pid
  [[ -f $pid_file ]] || continue
  old_pid=$(<"$pid_file")
  if [[ $old_pid =~ ^[0-9]+$ && -r /proc/$old_pid/cmdline ]] &&
    [[ $(tr '\0' ' ' <"/proc/$old_pid/cmdline" 2>/dev/null) == *"$name"* ]]; then
    die "$name from an earlier run is still running (pid $old_pid); stop it first: kill $old_pid"
  fi
  rm -f "$pid_file"
done
printf '%s\n' "$$" >"$run_dir/run.pid"

# shellcheck source=scripts/supervise.sh
source "$repo_root/scripts/supervise.sh"
SUP_CLOSE_FDS+=("$lock_fd")
sup_init "$bin_dir" "$run_dir" "$log_dir" "${active[@]}"

stopping=0
signals_seen=0
exit_code=0
setup_pid=

# shellcheck disable=SC2317  # trap handlers: invoked indirectly
on_signal() {
  signals_seen=$((signals_seen + 1))
  stopping=1
  # A second Ctrl-C skips the grace period.
  if ((signals_seen >= 2)); then SUP_FORCE=1; fi
}
trap on_signal INT TERM HUP

# --- readiness, sample, hints (runs beside the supervisor loop) ----------------

shown_command() {  # how the user types omnihubctl from the working directory
  local rel=${ctl#"$workdir"/}
  if [[ $rel != "$ctl" ]]; then printf '%q' "$rel"; else printf '%q' "$ctl"; fi
}

print_hints() {
  local cmd entry args width=0
  cmd=$(shown_command)
  for entry in "${SAMPLE_COMMANDS[@]}"; do
    args="$cmd ${entry%%|*}"
    ((${#args} <= width)) || width=${#args}
  done
  printf '\nomnihub is running. Data: %s  Logs: %s\n' "$var_dir" "$log_dir"
  printf 'Try these from %s:\n\n' "$workdir"
  if [[ $orig_pwd != "$workdir" ]]; then
    printf '    cd %q\n' "$workdir"
  fi
  for entry in "${SAMPLE_COMMANDS[@]}"; do
    printf '    %-*s  # %s\n' "$width" "$cmd ${entry%%|*}" "${entry#*|}"
  done
  printf '\nChannels (embedded default config):\n\n'
  printf '    email  SMTP 127.0.0.1:2525, LMTP 127.0.0.1:2424:  swaks --server 127.0.0.1:2525 --to support@example.com\n'
  printf '    sms    webhooks on http://127.0.0.1:8081: /twilio/default/messages, /twilio/default/status,\n'
  printf '           /vonage/default/inbound, /vonage/default/dlr (development secrets: docs/sms.md)\n'
  printf '\nCtrl-C stops the hub.\n'
}

# Runs in the background: waits until the unifier answers, loads the sample on
# the first start, prints the commands to try. Exits non-zero if the hub never
# came up. On TERM it stops the omnihubctl it runs (timeout passes TERM on).
setup_phase() {
  local child='' errors=$run_dir/setup.err deadline marker=$var_dir/.sample-loaded
  local sample=$repo_root/deploy/sample/sample-events.jsonl rc
  trap '' INT HUP
  trap 'stop_child; exit 143' TERM
  # shellcheck disable=SC2317  # called from the TERM trap
  stop_child() {  # polls rather than waits: see scripts/supervise.sh
    local tries=0
    [[ -n $child ]] || return 0
    kill -TERM "$child" 2>/dev/null || true
    while sup_alive "$child" && ((tries < 30)); do
      sup_sleep
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

  sup_now_ms
  deadline=$((SUP_NOW_MS + READY_TIMEOUT_S * 1000))
  until bounded 5 "$ctl" stats >/dev/null 2>"$errors"; do
    sup_now_ms
    if ((SUP_NOW_MS >= deadline)); then
      printf 'run.sh: error: the unifier did not answer "omnihubctl stats" within %d s:\n' "$READY_TIMEOUT_S" >&2
      sed 's/^/  /' "$errors" >&2
      printf 'run.sh: see %s\n' "$log_dir/omnihub-unifier.log" >&2
      exit 1
    fi
    sup_sleep 0.2
  done
  rm -f "$errors"

  if [[ -e $marker ]]; then
    say "sample already loaded (remove $marker and the data to load it again)"
  elif [[ ! -f $sample ]]; then
    say "no sample at $sample; starting empty"
  else
    say "first start: loading the sample ($sample)"
    rc=0
    bounded "$INJECT_TIMEOUT_S" "$ctl" inject "$sample" >&2 || rc=$?
    if ((rc == 0)); then
      : >"$marker"
    else
      say "WARNING: loading the sample failed ($(sup_describe_status "$rc")); the hub keeps running"
    fi
  fi
  print_hints
}

stop_setup() {
  local tries=0
  [[ -n $setup_pid ]] || return 0
  kill -TERM "$setup_pid" 2>/dev/null || true
  while sup_alive "$setup_pid" && ((tries < 50)); do
    sup_sleep
    tries=$((tries + 1))
  done
  if sup_alive "$setup_pid"; then kill -KILL "$setup_pid" 2>/dev/null || true; fi
  setup_pid=
}

# Last resort if this script fails unexpectedly: never leave services behind.
# shellcheck disable=SC2317  # the EXIT trap
emergency_stop() {
  sup_emergency_stop
  if [[ -n ${setup_pid:-} ]]; then kill -TERM "$setup_pid" 2>/dev/null || true; fi
}
trap emergency_stop EXIT

# --- main loop -----------------------------------------------------------------

say "working directory $workdir; binaries from $bin_dir"
sup_start_all
(
  exec {lock_fd}>&-
  setup_phase
) &
setup_pid=$!

while ((!stopping)); do
  sup_tick
  if [[ -n $setup_pid ]] && ! sup_alive "$setup_pid"; then
    sup_reap "$setup_pid"
    setup_pid=
    if ((SUP_STATUS != 0)); then
      exit_code=1
      break
    fi
  fi
  sup_sleep
done

if ((exit_code == 0)); then
  say "stopping"
else
  say "stopping after a failed start"
fi
stop_setup
sup_stop_all
rm -f "$run_dir/run.pid"
trap - EXIT
say "stopped"
exit "$exit_code"
