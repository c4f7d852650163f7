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
set -euo pipefail

# The supervised service processes, in start order. Adding a service is one line;
# a listed binary that is not built is skipped with a notice.
SERVICES=(
  omnihub-unifier
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

# Delay before restarting a service after its 1st, 2nd, 3rd, ... quick exit in a
# row; every delay stays under the 2 s restart promise.
RESTART_DELAYS_MS=(200 400 800 1500)
QUICK_EXIT_MS=10000  # a run shorter than this counts as a quick exit
STOP_GRACE_S=10      # SIGTERM, then SIGKILL what is left after this long
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
  ./scripts/install-deps.sh
  say "configuring build/ (Release)"
  if ! configure_out=$(cmake -S . -B build -DCMAKE_BUILD_TYPE=Release 2>&1); then
    printf '%s\n' "$configure_out" >&2
    die "cmake configure failed"
  fi
  # Build only the hub's binaries (not the tests) when the generator lists them.
  targets=()
  target_list=$(cmake --build build --target help 2>/dev/null || true)
  for t in "${SERVICES[@]}" omnihubctl; do
    if grep -qx "\.\.\. $t" <<<"$target_list"; then targets+=(--target "$t"); fi
  done
  say "building ${targets[*]:-all targets}"
  cmake --build build -j"$(nproc)" "${targets[@]}"
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

have_setsid=0
command -v setsid >/dev/null 2>&1 && have_setsid=1

# One logger per service for its whole life (across restarts): each line goes to
# stderr with a "[service] " prefix and, unprefixed, to var/log/<service>.log.
# Loggers ignore INT/TERM so that a service's last words still get through; they
# end when the last writer closes the pipe.
declare -A log_fd=()
logger_pids=()
for name in "${active[@]}"; do
  exec {fd}> >(
    trap '' INT TERM HUP
    tee -a "$log_dir/$name.log" | sed -u "s/^/[$name] /" >&2
  )
  log_fd[$name]=$fd
  logger_pids+=($!)
done

# Held for the life of this script; children get it closed ({lock_fd}>&-) so a
# leftover child never keeps a later run.sh out.
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

note() {  # note SERVICE MESSAGE: a supervisor line in that service's log
  printf 'supervisor: %s\n' "$2" >&"${log_fd[$1]}"
}

now_ms() {  # sets NOW_MS; EPOCHREALTIME avoids a fork per call
  local t=${EPOCHREALTIME//[!0-9]/}
  NOW_MS=$((10#$t / 1000))
}

ms_text() {  # 1500 -> 1.5
  printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100))
}

# --- supervision ---------------------------------------------------------------
#
# One polling loop in this process supervises everything. It never blocks in
# "wait" while a signal may arrive: bash 5.2 can lose a child's exit when a trap
# interrupts "wait" (then a later "wait" blocks for good). Instead it checks
# /proc every tick and calls "wait" only for a process that is already dead,
# which returns at once with its status.

declare -A svc_pid=()        # service -> running pid ("" when not running)
declare -A svc_started=()    # service -> start time (ms)
declare -A svc_quick=()      # service -> quick exits in a row
declare -A svc_due=()        # service -> restart time (ms) while waiting to restart
setup_pid=
stopping=0
signals_seen=0
exit_code=0
TICK_S=0.1

# A pipe nobody writes to: "read -t" on it is a sleep without a fork.
exec {tick_fd}<> <(:)
tick() {
  read -r -t "${1:-$TICK_S}" -u "$tick_fd" _ || true
}

on_signal() {
  signals_seen=$((signals_seen + 1))
  stopping=1
}
trap on_signal INT TERM HUP

process_alive() {  # true while PID exists and is not a zombie
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

reap() {  # reap PID (already dead): sets REAPED_STATUS
  REAPED_STATUS=0
  wait "$1" 2>/dev/null || REAPED_STATUS=$?
}

start_service() {
  local name=$1 pid
  local launcher=()
  # setsid keeps the service out of the terminal's process group: Ctrl-C reaches
  # only this script, which then stops the services in order.
  ((have_setsid)) && launcher=(setsid)
  "${launcher[@]}" "$bin_dir/$name" </dev/null >&"${log_fd[$name]}" 2>&1 \
    {lock_fd}>&- {tick_fd}<&- &
  pid=$!
  now_ms
  svc_pid[$name]=$pid
  svc_started[$name]=$NOW_MS
  unset 'svc_due[$name]'
  printf '%s\n' "$pid" >"$run_dir/$name.pid.tmp"
  mv -f "$run_dir/$name.pid.tmp" "$run_dir/$name.pid"
  note "$name" "started $name (pid $pid)"
}

# A service runs in its own session and process group (setsid: pgid == pid);
# once it is gone, anything it left in that group goes too.
kill_leftovers() {
  if ((have_setsid)); then
    kill -KILL -- "-$1" 2>/dev/null || true
  fi
}

describe_status() {
  if (($1 > 128)); then
    printf 'killed by signal %s' "$(kill -l $(($1 - 128)) 2>/dev/null || echo $(($1 - 128)))"
  else
    printf 'exited with status %d' "$1"
  fi
}

on_service_exit() {  # on_service_exit SERVICE: its process is dead
  local name=$1 pid=${svc_pid[$1]} ran delay idx
  reap "$pid"
  svc_pid[$name]=
  kill_leftovers "$pid"
  now_ms
  ran=$((NOW_MS - svc_started[$name]))
  if ((ran < QUICK_EXIT_MS)); then
    svc_quick[$name]=$((${svc_quick[$name]:-0} + 1))
  else
    svc_quick[$name]=1
  fi
  idx=$((svc_quick[$name] - 1))
  ((idx < ${#RESTART_DELAYS_MS[@]})) || idx=$((${#RESTART_DELAYS_MS[@]} - 1))
  delay=${RESTART_DELAYS_MS[$idx]}
  svc_due[$name]=$((NOW_MS + delay))
  note "$name" "$name (pid $pid) $(describe_status "$REAPED_STATUS") after $(ms_text "$ran") s; restarting in $(ms_text "$delay") s"
}

supervise_tick() {  # notices exits and starts services that are due
  local name pid
  for name in "${active[@]}"; do
    pid=${svc_pid[$name]:-}
    if [[ -n $pid ]] && ! process_alive "$pid"; then
      on_service_exit "$name"
    fi
  done
  now_ms
  for name in "${!svc_due[@]}"; do
    if ((svc_due[$name] <= NOW_MS)); then
      start_service "$name"
    fi
  done
}

# --- readiness, sample, hints (runs beside the supervisor loop) ----------------

shown_command() {  # how the user types omnihubctl from the working directory
  local rel=${ctl#"$workdir"/}
  if [[ $rel != "$ctl" ]]; then printf '%q' "$rel"; else printf '%q' "$ctl"; fi
}

setup_phase() {
  local child= errors=$run_dir/setup.err deadline marker=$var_dir/.sample-loaded
  local sample=$repo_root/deploy/sample/sample-events.jsonl
  trap '' INT HUP
  # On TERM: stop the running omnihubctl (timeout passes TERM on) and go. Polls
  # rather than waits, for the reason given under "supervision".
  trap 'stop_child; exit 143' TERM
  stop_child() {
    local tries=0
    [[ -n $child ]] || return 0
    kill -TERM "$child" 2>/dev/null || true
    while process_alive "$child" && ((tries < 30)); do
      tick
      tries=$((tries + 1))
    done
  }
  bounded() {  # bounded SECONDS CMD...: runs CMD with a time limit, stoppable by TERM
    local secs=$1 rc=0
    shift
    timeout -k 2 "$secs" "$@" &
    child=$!
    wait "$child" || rc=$?
    child=
    return "$rc"
  }

  now_ms
  deadline=$((NOW_MS + READY_TIMEOUT_S * 1000))
  until bounded 5 "$ctl" stats >/dev/null 2>"$errors"; do
    now_ms
    if ((NOW_MS >= deadline)); then
      printf 'run.sh: error: the unifier did not answer "omnihubctl stats" within %d s:\n' "$READY_TIMEOUT_S" >&2
      sed 's/^/  /' "$errors" >&2
      printf 'run.sh: see %s\n' "$log_dir/omnihub-unifier.log" >&2
      exit 1
    fi
    sleep 0.2
  done

  if [[ -e $marker ]]; then
    say "sample already loaded (remove $marker and the data to load it again)"
  elif [[ ! -f $sample ]]; then
    say "no sample at $sample; starting empty"
  else
    say "first start: loading the sample ($sample)"
    local rc=0
    bounded "$INJECT_TIMEOUT_S" "$ctl" inject "$sample" >&2 || rc=$?
    if ((rc == 0)); then
      : >"$marker"
    else
      say "WARNING: loading the sample failed ($(describe_status "$rc")); the hub keeps running"
    fi
  fi

  rm -f "$errors"
  local cmd entry args comment width=0
  cmd=$(shown_command)
  for entry in "${SAMPLE_COMMANDS[@]}"; do
    args="$cmd ${entry%%|*}"
    ((${#args} <= width)) || width=${#args}
  done
  {
    printf '\nomnihub is running. Data: %s  Logs: %s\n' "$var_dir" "$log_dir"
    printf 'Try these from %s:\n\n' "$workdir"
    if [[ $orig_pwd != "$workdir" ]]; then
      printf '    cd %q\n' "$workdir"
    fi
    for entry in "${SAMPLE_COMMANDS[@]}"; do
      args=${entry%%|*}
      comment=${entry#*|}
      printf '    %-*s  # %s\n' "$width" "$cmd $args" "$comment"
    done
    printf '\nCtrl-C stops the hub.\n'
  }
}

# --- stopping --------------------------------------------------------------------

stop_setup() {
  local tries=0
  [[ -n $setup_pid ]] || return 0
  kill -TERM "$setup_pid" 2>/dev/null || true
  while process_alive "$setup_pid" && ((tries < 50)); do
    tick
    tries=$((tries + 1))
  done
  process_alive "$setup_pid" && kill -KILL "$setup_pid" 2>/dev/null
  setup_pid=
}

stop_everything() {
  local name pid deadline forced=0 running tries
  stop_setup
  for name in "${active[@]}"; do
    pid=${svc_pid[$name]:-}
    [[ -n $pid ]] || continue
    note "$name" "stopping $name (pid $pid) with SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
  done
  now_ms
  deadline=$((NOW_MS + STOP_GRACE_S * 1000))
  while :; do
    running=0
    for name in "${active[@]}"; do
      pid=${svc_pid[$name]:-}
      [[ -n $pid ]] || continue
      if process_alive "$pid"; then
        running=1
        continue
      fi
      reap "$pid"
      note "$name" "$name (pid $pid) $(describe_status "$REAPED_STATUS")"
      svc_pid[$name]=
      kill_leftovers "$pid"
    done
    ((running)) || break
    now_ms
    if ((!forced && (NOW_MS >= deadline || signals_seen >= 2))); then
      for name in "${active[@]}"; do
        pid=${svc_pid[$name]:-}
        [[ -n $pid ]] || continue
        note "$name" "$name (pid $pid) still running: SIGKILL"
        kill -KILL -- "$pid" 2>/dev/null || true
        kill_leftovers "$pid"
      done
      forced=1
    fi
    tick
  done
  for name in "${active[@]}"; do
    rm -f "$run_dir/$name.pid"
  done
  # Close the loggers' pipes and let them drain (bounded: a process that escaped
  # its service's process group may still hold a pipe open).
  local fd
  for name in "${!log_fd[@]}"; do
    fd=${log_fd[$name]}
    exec {fd}>&-
  done
  log_fd=()
  for pid in "${logger_pids[@]}"; do
    tries=0
    while process_alive "$pid" && ((tries < 20)); do
      tick
      tries=$((tries + 1))
    done
    if process_alive "$pid"; then
      say "a process outside the supervised services still holds a log pipe open"
    else
      reap "$pid"
    fi
  done
  logger_pids=()
  rm -f "$run_dir/run.pid"
}

# Last resort if this script fails unexpectedly: never leave services behind.
emergency_stop() {
  local name
  for name in "${active[@]}"; do
    if [[ -n ${svc_pid[$name]:-} ]]; then kill -TERM "${svc_pid[$name]}" 2>/dev/null || true; fi
  done
  if [[ -n ${setup_pid:-} ]]; then kill -TERM "$setup_pid" 2>/dev/null || true; fi
}
trap emergency_stop EXIT

# --- main loop -----------------------------------------------------------------

say "working directory $workdir; binaries from $bin_dir"
for name in "${active[@]}"; do
  start_service "$name"
done
setup_phase {lock_fd}>&- &
setup_pid=$!

while ((!stopping)); do
  supervise_tick
  if [[ -n $setup_pid ]] && ! process_alive "$setup_pid"; then
    reap "$setup_pid"
    setup_pid=
    if ((REAPED_STATUS != 0)); then
      exit_code=1
      break
    fi
  fi
  tick
done

if ((exit_code == 0)); then
  say "stopping"
else
  say "stopping after a failed start"
fi
stop_everything
trap - EXIT
say "stopped"
exit "$exit_code"
