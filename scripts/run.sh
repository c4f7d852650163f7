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

declare -A svc_pid=()        # service -> running pid ("" when not running)
declare -A svc_started=()    # service -> start time (ms)
declare -A svc_quick=()      # service -> quick exits in a row
declare -A svc_due=()        # service -> restart time (ms) while waiting to restart
declare -A name_of_pid=()
timer_pid=
timer_due=0
setup_pid=
stopping=0
signals_seen=0
exit_code=0

on_signal() {
  signals_seen=$((signals_seen + 1))
  stopping=1
}
trap on_signal INT TERM HUP

start_service() {
  local name=$1 pid
  local launcher=()
  # setsid keeps the service out of the terminal's process group: Ctrl-C reaches
  # only this script, which then stops the services in order.
  ((have_setsid)) && launcher=(setsid)
  "${launcher[@]}" "$bin_dir/$name" </dev/null >&"${log_fd[$name]}" 2>&1 {lock_fd}>&- &
  pid=$!
  now_ms
  svc_pid[$name]=$pid
  svc_started[$name]=$NOW_MS
  unset 'svc_due[$name]'
  name_of_pid[$pid]=$name
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

process_alive() {  # true while PID exists and is not a zombie
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

describe_status() {
  if (($1 > 128)); then
    printf 'killed by signal %s' "$(kill -l $(($1 - 128)) 2>/dev/null || echo $(($1 - 128)))"
  else
    printf 'exited with status %d' "$1"
  fi
}

on_service_exit() {  # on_service_exit PID STATUS
  local pid=$1 status=$2 name ran delay idx
  name=${name_of_pid[$pid]}
  unset 'name_of_pid[$pid]'
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
  note "$name" "$name (pid $pid) $(describe_status "$status") after $(ms_text "$ran") s; restarting in $(ms_text "$delay") s"
}

stop_timer() {
  if [[ -n $timer_pid ]]; then
    kill "$timer_pid" 2>/dev/null || true
    wait "$timer_pid" 2>/dev/null || true
    timer_pid=
  fi
}

# Starts the services that are due and arms one timer (a background sleep that
# the main wait includes) for the earliest pending restart.
start_due_and_arm_timer() {
  local name earliest=0
  now_ms
  for name in "${!svc_due[@]}"; do
    if ((svc_due[$name] <= NOW_MS)); then
      start_service "$name"
    elif ((earliest == 0 || svc_due[$name] < earliest)); then
      earliest=${svc_due[$name]}
    fi
  done
  if ((earliest == 0)); then
    stop_timer
  elif [[ -z $timer_pid ]] || ((timer_due > earliest)); then
    stop_timer
    sleep "$(printf '%d.%03d' $(((earliest - NOW_MS) / 1000)) $(((earliest - NOW_MS) % 1000)))" {lock_fd}>&- &
    timer_pid=$!
    timer_due=$earliest
  fi
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
  trap '[[ -n $child ]] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 143' TERM
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

stop_everything() {
  local name pid rc done_pid deadline_pid forced=0
  local -a remaining=()
  stop_timer
  if [[ -n $setup_pid ]]; then
    kill -TERM "$setup_pid" 2>/dev/null || true
    wait "$setup_pid" 2>/dev/null || true
    setup_pid=
  fi
  for name in "${active[@]}"; do
    pid=${svc_pid[$name]:-}
    [[ -n $pid ]] || continue
    note "$name" "stopping $name (pid $pid) with SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    remaining+=("$pid")
  done
  if ((${#remaining[@]} > 0)); then
    sleep "$STOP_GRACE_S" &
    deadline_pid=$!
    while ((${#remaining[@]} > 0)); do
      if ((signals_seen >= 2 && !forced)) || [[ -z $deadline_pid ]]; then
        for pid in "${remaining[@]}"; do
          note "${name_of_pid[$pid]}" "${name_of_pid[$pid]} (pid $pid) still running: SIGKILL"
          kill -KILL "$pid" 2>/dev/null || true
        done
        forced=1
      fi
      done_pid=
      rc=0
      wait -n -p done_pid "${remaining[@]}" ${deadline_pid:+"$deadline_pid"} || rc=$?
      [[ -n ${done_pid:-} ]] || continue
      if [[ $done_pid == "${deadline_pid:-}" ]]; then
        deadline_pid=
        continue
      fi
      name=${name_of_pid[$done_pid]}
      note "$name" "$name (pid $done_pid) $(describe_status "$rc")"
      unset 'name_of_pid[$done_pid]'
      svc_pid[$name]=
      kill_leftovers "$done_pid"
      rm -f "$run_dir/$name.pid"
      local -a left=()
      for pid in "${remaining[@]}"; do
        [[ $pid == "$done_pid" ]] || left+=("$pid")
      done
      remaining=("${left[@]}")
    done
    if [[ -n ${deadline_pid:-} ]]; then
      kill "$deadline_pid" 2>/dev/null || true
      wait "$deadline_pid" 2>/dev/null || true
    fi
  fi
  for name in "${active[@]}"; do
    rm -f "$run_dir/$name.pid"
  done
  # Close the loggers' pipes and let them drain (bounded: a process that escaped
  # its service's process group may still hold a pipe open). Loggers are process
  # substitutions, which "wait -n" does not cover, hence the polling.
  local fd
  for name in "${!log_fd[@]}"; do
    fd=${log_fd[$name]}
    exec {fd}>&-
  done
  log_fd=()
  local tries
  for pid in "${logger_pids[@]}"; do
    tries=0
    while process_alive "$pid" && ((tries < 40)); do
      sleep 0.05
      tries=$((tries + 1))
    done
    if process_alive "$pid"; then
      say "a process outside the supervised services still holds a log pipe open"
    else
      wait "$pid" 2>/dev/null || true
    fi
  done
  logger_pids=()
  rm -f "$run_dir/run.pid"
}

# Last resort if this script fails unexpectedly: never leave services behind.
emergency_stop() {
  local pid
  for pid in "${!name_of_pid[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  if [[ -n ${setup_pid:-} ]]; then kill -TERM "$setup_pid" 2>/dev/null || true; fi
  if [[ -n ${timer_pid:-} ]]; then kill "$timer_pid" 2>/dev/null || true; fi
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
  start_due_and_arm_timer
  waiting=()
  for name in "${active[@]}"; do
    [[ -n ${svc_pid[$name]:-} ]] && waiting+=("${svc_pid[$name]}")
  done
  [[ -n $setup_pid ]] && waiting+=("$setup_pid")
  [[ -n $timer_pid ]] && waiting+=("$timer_pid")
  if ((${#waiting[@]} == 0)); then
    sleep 0.1
    continue
  fi
  done_pid=
  status=0
  wait -n -p done_pid "${waiting[@]}" || status=$?
  [[ -n ${done_pid:-} ]] || continue  # a signal interrupted the wait
  if [[ $done_pid == "$timer_pid" ]]; then
    timer_pid=
  elif [[ $done_pid == "$setup_pid" ]]; then
    setup_pid=
    if ((status != 0)); then
      exit_code=1
      stopping=1
    fi
  else
    on_service_exit "$done_pid" "$status"
  fi
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
