# Sourced by scripts/test.sh and .ci/run: times the named phases of a script, wall clock and
# CPU (user + system of every finished child process), and prints them as a table, so that a
# CI log shows what each phase cost even when the machine was shared or loaded.
#
#   phase NAME     ends the running phase, if any, and starts NAME
#   phase_report   ends the running phase and prints one line per phase and a total

_phase_hz=$(getconf CLK_TCK)
_phase_names=()
_phase_wall=()
_phase_cpu=()
_phase_current=
_phase_started=0
_phase_cpu_started=0

# Sets _phase_ticks to the CPU ticks of this shell's finished children (fields 16 and 17,
# cutime and cstime, of /proc/PID/stat; the fields after the ")" that closes the name).
_phase_read_ticks() {
  local stat
  read -r stat </proc/$$/stat
  local -a fields
  read -r -a fields <<<"${stat##*) }"
  _phase_ticks=$((fields[13] + fields[14]))
}

_phase_close() {
  [[ -n $_phase_current ]] || return 0
  _phase_read_ticks
  _phase_names+=("$_phase_current")
  _phase_wall+=($((SECONDS - _phase_started)))
  _phase_cpu+=($(((_phase_ticks - _phase_cpu_started) / _phase_hz)))
  _phase_current=
}

phase() {
  _phase_close
  _phase_current=$1
  _phase_started=$SECONDS
  _phase_read_ticks
  _phase_cpu_started=$_phase_ticks
}

phase_report() {
  _phase_close
  local i wall=0 cpu=0
  echo
  printf '%-24s %8s %8s\n' "${PHASE_TITLE:-phase}" "wall s" "cpu s"
  for i in "${!_phase_names[@]}"; do
    printf '%-24s %8d %8d\n' "${_phase_names[i]}" "${_phase_wall[i]}" "${_phase_cpu[i]}"
    wall=$((wall + _phase_wall[i]))
    cpu=$((cpu + _phase_cpu[i]))
  done
  printf '%-24s %8d %8d\n' total "$wall" "$cpu"
}
