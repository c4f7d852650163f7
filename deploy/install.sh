#!/usr/bin/env bash
# Installs omnihub on one machine (Debian 12, systemd) in the standard (FHS) places:
#
#   /usr/local/bin/                      the services of deploy/services.manifest and omnihubctl
#   /etc/omnihub/omnihub.toml            deploy/omnihub.toml (root:omnihub 0640); an existing one
#                                        is never overwritten: the shipped one goes beside it as
#                                        omnihub.toml.new
#   /etc/omnihub/sms.env, social.env     empty secret files for the units' EnvironmentFile=
#                                        (root 0600, read by systemd), kept when present
#   /etc/systemd/system/                 the units, omnihub.target and the omnihub-.service.d drop-in
#   /etc/logrotate.d/omnihub             deploy/logrotate/omnihub (daily rotation of /var/log/omnihub,
#                                        SIGHUP to the services)
#   /var/lib/omnihub, /var/log/omnihub   data and logs, owned by the system user omnihub (created
#                                        when missing)
#
# then `systemctl daemon-reload` when systemd runs. Running it again gives the same result.
# It neither enables nor starts anything (docs/operations.md says how).
#
# The binaries come from build/bin: build Release first (./scripts/test.sh builds Release and
# runs the tests; or cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build).
#
# --root DIR installs under DIR instead of / (DESTDIR-style: packaging, tests); the system user
# is then added to DIR/etc/passwd when that file exists, and nothing on the machine changes.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICE_USER=omnihub
ROOT=""
BIN_DIR="$REPO/build/bin"
BIN_DIR_GIVEN=0
DRY_RUN=0

usage() {
  cat <<'USAGE'
Usage: deploy/install.sh [--root DIR] [--bin-dir DIR] [--dry-run]

  --root DIR     install under DIR instead of / (no systemctl; the user goes into DIR/etc/passwd
                 when it exists)
  --bin-dir DIR  take the binaries from DIR (default: build/bin of this checkout, built Release)
  --dry-run      print what would be done, change nothing
USAGE
}

die() {
  printf 'install.sh: error: %s\n' "$*" >&2
  exit 1
}

say() {
  if ((DRY_RUN)); then
    printf 'install.sh: (dry run) %s\n' "$*"
  else
    printf 'install.sh: %s\n' "$*"
  fi
}

while (($#)); do
  case $1 in
    --root) (($# >= 2)) || die "--root needs a directory"; ROOT=$2; shift 2 ;;
    --root=*) ROOT=${1#--root=}; shift ;;
    --bin-dir) (($# >= 2)) || die "--bin-dir needs a directory"; BIN_DIR=$2; BIN_DIR_GIVEN=1; shift 2 ;;
    --bin-dir=*) BIN_DIR=${1#--bin-dir=}; BIN_DIR_GIVEN=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

# Every change goes through act: printed with --dry-run, run otherwise.
act() {
  if ((DRY_RUN)); then
    printf 'install.sh: would run:'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# --- checks, before anything changes ------------------------------------------------------

if [[ -n $ROOT ]]; then
  [[ -d $ROOT ]] || die "--root $ROOT: no such directory"
  ROOT=$(cd "$ROOT" && pwd)
  [[ $ROOT != / ]] || ROOT=""
fi
# The user id the root check sees; tests set OMNIHUB_INSTALL_EUID to check the refusal without
# dropping privileges (a sandboxed CI machine may not let another user run bash at all).
euid=${OMNIHUB_INSTALL_EUID:-$EUID}
if [[ -z $ROOT ]] && ((euid != 0)) && ((!DRY_RUN)); then
  die "installing into / needs root: sudo deploy/install.sh (or --root DIR, or --dry-run)"
fi

# The service binaries are the manifest's (column 2), plus the CLI.
BINARIES=()
while read -r name binary _; do
  [[ -z $name || $name == \#* ]] && continue
  BINARIES+=("$binary")
done <"$REPO/deploy/services.manifest"
BINARIES+=(omnihubctl)

if ((!BIN_DIR_GIVEN)); then
  # A Debug or sanitizer build runs, but several times slower than the one to install.
  cache="$REPO/build/CMakeCache.txt"
  if [[ -f $cache ]]; then
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
    [[ $build_type == Release ]] ||
      die "build/ is a '$build_type' build; install a Release build: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build"
    ! grep -q '^OMNIHUB_SANITIZE:BOOL=ON$' "$cache" ||
      die "build/ is a sanitizer build (OMNIHUB_SANITIZE=ON); install a plain Release build"
  fi
fi
missing=()
for binary in "${BINARIES[@]}"; do
  [[ -x $BIN_DIR/$binary ]] || missing+=("$binary")
done
((${#missing[@]} == 0)) ||
  die "missing in $BIN_DIR: ${missing[*]}; build Release first: ./scripts/test.sh" \
    "(or cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build), or name the directory with --bin-dir"

# --- the system user ----------------------------------------------------------------------

# The user's uid and gid on the installed system ("" when unknown): DIR/etc/passwd under --root.
user_ids() {
  if [[ -n $ROOT ]]; then
    [[ -f $ROOT/etc/passwd ]] || return 0
    awk -F: -v u="$SERVICE_USER" '$1 == u { print $3 ":" $4 }' "$ROOT/etc/passwd"
  else
    getent passwd "$SERVICE_USER" | awk -F: '{ print $3 ":" $4 }'
  fi
}

OWNER=$(user_ids)
if [[ -z $OWNER ]]; then
  if [[ -n $ROOT && ! -f $ROOT/etc/passwd ]]; then
    say "no $ROOT/etc/passwd: user $SERVICE_USER not added, files keep the installing user as owner"
  else
    useradd_args=(--system --user-group --home-dir /var/lib/omnihub --no-create-home
                  --shell /usr/sbin/nologin --comment "omnihub message hub")
    [[ -z $ROOT ]] || useradd_args+=(--prefix "$ROOT")
    act useradd "${useradd_args[@]}" "$SERVICE_USER"
    say "added system user $SERVICE_USER"
    ((DRY_RUN)) || OWNER=$(user_ids)
  fi
fi
# Ownership needs root; a --root install as another user leaves it to the packager.
OWN_DATA=()
OWN_CONFIG=()
if [[ -n $OWNER ]] && ((EUID == 0)); then
  OWN_DATA=(-o "${OWNER%%:*}" -g "${OWNER##*:}")
  OWN_CONFIG=(-o 0 -g "${OWNER##*:}")
elif ((DRY_RUN)) && [[ -z $ROOT ]]; then
  OWN_DATA=(-o "$SERVICE_USER" -g "$SERVICE_USER")
  OWN_CONFIG=(-o root -g "$SERVICE_USER")
elif [[ -n $OWNER ]]; then
  say "not root: files keep the installing user as owner"
fi

# --- files --------------------------------------------------------------------------------

UNIT_DIR=$ROOT/etc/systemd/system
CONFIG_DIR=$ROOT/etc/omnihub

act install -d -m 0755 "$ROOT/usr/local/bin" "$CONFIG_DIR" "$UNIT_DIR" "$UNIT_DIR/omnihub-.service.d"
for binary in "${BINARIES[@]}"; do
  # install unlinks the old file first, so a running binary is replaced, not written into.
  act install -m 0755 "$BIN_DIR/$binary" "$ROOT/usr/local/bin/$binary"
done
say "binaries: ${BINARIES[*]} in /usr/local/bin"

for unit in "$REPO"/deploy/systemd/omnihub-*.service "$REPO/deploy/systemd/omnihub.target"; do
  act install -m 0644 "$unit" "$UNIT_DIR/"
done
act install -m 0644 "$REPO/deploy/systemd/omnihub-.service.d/hardening.conf" "$UNIT_DIR/omnihub-.service.d/"
say "units: omnihub.target and its services in /etc/systemd/system"

config=$CONFIG_DIR/omnihub.toml
if [[ ! -e $config ]]; then
  act install -m 0640 "${OWN_CONFIG[@]}" "$REPO/deploy/omnihub.toml" "$config"
  say "config: /etc/omnihub/omnihub.toml installed: set region, domains and URLs in it"
elif cmp -s "$REPO/deploy/omnihub.toml" "$config"; then
  say "config: /etc/omnihub/omnihub.toml is the shipped one, unchanged"
else
  act install -m 0640 "${OWN_CONFIG[@]}" "$REPO/deploy/omnihub.toml" "$config.new"
  say "config: kept your /etc/omnihub/omnihub.toml; the shipped one is /etc/omnihub/omnihub.toml.new:" \
    "compare them (diff -u /etc/omnihub/omnihub.toml /etc/omnihub/omnihub.toml.new)"
fi

# Secrets stay out of the config: systemd reads these (as root) into the services' environment.
for env_file in sms.env social.env; do
  if [[ ! -e $CONFIG_DIR/$env_file ]]; then
    act install -m 0600 /dev/null "$CONFIG_DIR/$env_file"
    say "secrets: /etc/omnihub/$env_file created empty: write the secrets into it (docs/operations.md)"
  fi
done

act install -d -m 0755 "$ROOT/etc/logrotate.d"
act install -m 0644 "$REPO/deploy/logrotate/omnihub" "$ROOT/etc/logrotate.d/omnihub"
say "logrotate: /etc/logrotate.d/omnihub rotates /var/log/omnihub/*.log (used when [log] file is set)"

act install -d -m 0750 "${OWN_DATA[@]}" "$ROOT/var/lib/omnihub" "$ROOT/var/log/omnihub"
say "data: /var/lib/omnihub, logs: /var/log/omnihub"

# --- systemd ------------------------------------------------------------------------------

if [[ -n $ROOT ]]; then
  say "--root: systemctl daemon-reload left to the system that boots $ROOT"
elif [[ -d /run/systemd/system ]]; then
  act systemctl daemon-reload
else
  say "systemd is not running here: no systemctl daemon-reload"
fi
say "done; start with: systemctl enable --now omnihub.target"
