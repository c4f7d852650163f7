# shellcheck shell=bash disable=SC2119,SC2120
# Process supervisor used by scripts/run.sh (sourced, not run; bash 5.1+).
#
# Starts each service binary in its own session, notices when one exits or is
# killed and restarts it within 2 s, logs each service to stderr with a
# "[service] " prefix and to LOG_DIR/<service>.log, keeps RUN_DIR/<service>.pid
# current, and stops everything with SIGTERM, then SIGKILL after a grace period.
#
# It polls (sup_tick every SUP_TICK_S) instead of blocking in "wait": in bash 5.2
# a trap that interrupts "wait" can lose a child's exit status, and a later
# "wait" for that child then blocks for good. "wait" is called only for a process
# already seen dead in /proc, which returns at once with its status.
#
# Needs bash, coreutils, sed; uses setsid (util-linux) when present. Not
# reentrant: one supervisor per shell, driven from one loop.
#
#   SUP_CLOSE_FDS+=(FD)       # fds no child may inherit (e.g. a lock); before sup_init
#   sup_init BIN_DIR RUN_DIR LOG_DIR SERVICE...
#   sup_start_all
#   while ...; do sup_tick; sup_sleep; done
#   SUP_FORCE=1               # optional: skip the grace period (second Ctrl-C)
#   sup_stop_all

# Delay before a restart after the 1st, 2nd, 3rd, ... quick exit in a row; every
# delay stays under the 2 s restart promise, even for a crash loop.
SUP_RESTART_DELAYS_MS=(200 400 700 1000)
SUP_QUICK_EXIT_MS=10000  # a run shorter than this counts as a quick exit
SUP_STOP_GRACE_S=10      # SIGTERM, then SIGKILL what is left after this long
SUP_TICK_S=0.1
SUP_FORCE=0
SUP_CLOSE_FDS=()

sup_init() {
  SUP_BIN_DIR=$1
  SUP_RUN_DIR=$2
  SUP_LOG_DIR=$3
  shift 3
  SUP_SERVICES=("$@")
  declare -gA SUP_PID=()      # service -> running pid ("" when not running)
  declare -gA SUP_STARTED=()  # service -> start time (ms)
  declare -gA SUP_QUICK=()    # service -> quick exits in a row
  declare -gA SUP_DUE=()      # service -> restart time (ms) while waiting to restart
  declare -gA SUP_LOG_FD=()   # service -> write end of its logger
  SUP_LOGGERS=()
  SUP_SETSID=0
  if command -v setsid >/dev/null 2>&1; then SUP_SETSID=1; fi

  # A pipe nobody writes to: "read -t" on it is a sleep without a fork.
  exec {SUP_TICK_FD}<> <(:)

  # One logger per service for the supervisor's whole life (across restarts).
  # Loggers ignore INT/TERM so that a service's last words still get through;
  # they end when the last writer closes the pipe.
  local name fd
  for name in "${SUP_SERVICES[@]}"; do
    exec {fd}> >(
      trap '' INT TERM HUP
      for close_fd in "${SUP_CLOSE_FDS[@]}"; do exec {close_fd}>&-; done
      tee -a "$SUP_LOG_DIR/$name.log" | sed -u "s/^/[$name] /" >&2
    )
    SUP_LOG_FD[$name]=$fd
    SUP_LOGGERS+=($!)
  done
}

sup_sleep() {  # sup_sleep [SECONDS]: sleeps SUP_TICK_S by default
  read -r -t "${1:-$SUP_TICK_S}" -u "$SUP_TICK_FD" _ || true
}

sup_alive() {  # true while PID exists and is not a zombie
  local stat
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

sup_reap() {  # sup_reap PID (already dead): sets SUP_STATUS
  SUP_STATUS=0
  wait "$1" 2>/dev/null || SUP_STATUS=$?
}

sup_describe_status() {
  if (($1 > 128)); then
    printf 'killed by signal %s' "$(kill -l $(($1 - 128)) 2>/dev/null || echo $(($1 - 128)))"
  else
    printf 'exited with status %d' "$1"
  fi
}

sup_note() {  # sup_note SERVICE MESSAGE: a supervisor line in that service's log
  printf 'supervisor: %s\n' "$2" >&"${SUP_LOG_FD[$1]}"
}

sup_now_ms() {  # sets SUP_NOW_MS; EPOCHREALTIME avoids a fork per call
  local t=${EPOCHREALTIME//[!0-9]/}
  SUP_NOW_MS=$((10#$t / 1000))
}

sup_seconds() {  # 1500 -> 1.5
  printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100))
}

sup_start() {
  local name=$1 pid
  # The subshell closes what the service must not inherit, then becomes the
  # service (exec keeps the pid). setsid (in place: a background child is no
  # group leader) gives it its own session, so Ctrl-C reaches only the
  # supervisor, and a process group (pgid == pid) to clean up after it.
  (
    for fd in "${SUP_CLOSE_FDS[@]}" "$SUP_TICK_FD"; do exec {fd}>&-; done
    if ((SUP_SETSID)); then exec setsid "$SUP_BIN_DIR/$name"; fi
    exec "$SUP_BIN_DIR/$name"
  ) </dev/null >&"${SUP_LOG_FD[$name]}" 2>&1 &
  pid=$!
  sup_now_ms
  SUP_PID[$name]=$pid
  SUP_STARTED[$name]=$SUP_NOW_MS
  unset 'SUP_DUE[$name]'
  printf '%s\n' "$pid" >"$SUP_RUN_DIR/$name.pid.tmp"
  mv -f "$SUP_RUN_DIR/$name.pid.tmp" "$SUP_RUN_DIR/$name.pid"
  sup_note "$name" "started $name (pid $pid)"
}

sup_start_all() {
  local name
  for name in "${SUP_SERVICES[@]}"; do
    sup_start "$name"
  done
}

# Once a service is gone, anything it left in its process group goes too.
sup_kill_group() {
  if ((SUP_SETSID)); then
    kill -KILL -- "-$1" 2>/dev/null || true
  fi
}

sup_on_exit() {  # sup_on_exit SERVICE: its process is dead; schedule the restart
  local name=$1 pid=${SUP_PID[$1]} ran delay idx
  sup_reap "$pid"
  SUP_PID[$name]=
  sup_kill_group "$pid"
  sup_now_ms
  ran=$((SUP_NOW_MS - SUP_STARTED[$name]))
  if ((ran < SUP_QUICK_EXIT_MS)); then
    SUP_QUICK[$name]=$((${SUP_QUICK[$name]:-0} + 1))
  else
    SUP_QUICK[$name]=1
  fi
  idx=$((SUP_QUICK[$name] - 1))
  ((idx < ${#SUP_RESTART_DELAYS_MS[@]})) || idx=$((${#SUP_RESTART_DELAYS_MS[@]} - 1))
  delay=${SUP_RESTART_DELAYS_MS[$idx]}
  SUP_DUE[$name]=$((SUP_NOW_MS + delay))
  sup_note "$name" "$name (pid $pid) $(sup_describe_status "$SUP_STATUS") after $(sup_seconds "$ran") s; restarting in $(sup_seconds "$delay") s"
}

sup_tick() {  # notices exits and starts the services that are due
  local name pid
  for name in "${SUP_SERVICES[@]}"; do
    pid=${SUP_PID[$name]:-}
    if [[ -n $pid ]] && ! sup_alive "$pid"; then
      sup_on_exit "$name"
    fi
  done
  sup_now_ms
  for name in "${!SUP_DUE[@]}"; do
    if ((SUP_DUE[$name] <= SUP_NOW_MS)); then
      sup_start "$name"
    fi
  done
}

sup_stop_all() {
  local name pid deadline running forced=0 fd tries
  SUP_DUE=()
  for name in "${SUP_SERVICES[@]}"; do
    pid=${SUP_PID[$name]:-}
    [[ -n $pid ]] || continue
    sup_note "$name" "stopping $name (pid $pid) with SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
  done
  sup_now_ms
  deadline=$((SUP_NOW_MS + SUP_STOP_GRACE_S * 1000))
  while :; do
    running=0
    for name in "${SUP_SERVICES[@]}"; do
      pid=${SUP_PID[$name]:-}
      [[ -n $pid ]] || continue
      if sup_alive "$pid"; then
        running=1
        continue
      fi
      sup_reap "$pid"
      sup_note "$name" "$name (pid $pid) $(sup_describe_status "$SUP_STATUS")"
      SUP_PID[$name]=
      sup_kill_group "$pid"
      rm -f "$SUP_RUN_DIR/$name.pid"
    done
    ((running)) || break
    sup_now_ms
    if ((!forced && (SUP_NOW_MS >= deadline || SUP_FORCE))); then
      for name in "${SUP_SERVICES[@]}"; do
        pid=${SUP_PID[$name]:-}
        [[ -n $pid ]] || continue
        sup_note "$name" "$name (pid $pid) still running: SIGKILL"
        kill -KILL -- "$pid" 2>/dev/null || true
        sup_kill_group "$pid"
      done
      forced=1
    fi
    sup_sleep
  done

  # Close the loggers' pipes and let them drain (bounded: a process that left its
  # service's process group may still hold a pipe open).
  for name in "${!SUP_LOG_FD[@]}"; do
    fd=${SUP_LOG_FD[$name]}
    exec {fd}>&-
  done
  SUP_LOG_FD=()
  for pid in "${SUP_LOGGERS[@]}"; do
    tries=0
    while sup_alive "$pid" && ((tries < 20)); do
      sup_sleep
      tries=$((tries + 1))
    done
    if sup_alive "$pid"; then
      printf 'supervisor: a process outside the services still holds a log pipe open\n' >&2
    else
      sup_reap "$pid"
    fi
  done
  SUP_LOGGERS=()
}

sup_emergency_stop() {  # for an EXIT trap: SIGTERM whatever still runs, no waiting
  local name
  for name in "${SUP_SERVICES[@]}"; do
    if [[ -n ${SUP_PID[$name]:-} ]]; then kill -TERM "${SUP_PID[$name]}" 2>/dev/null || true; fi
  done
}
