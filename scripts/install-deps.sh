#!/usr/bin/env bash
# Installs the Debian 12 packages omnihub needs to build, test and run.
# Does nothing (no apt-get update, no network) when every package is already
# installed; otherwise installs exactly the missing ones, noninteractively.
# As root it runs apt-get itself; otherwise through sudo when available, else it
# prints the command to run and fails.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config python3
  # The linker (CMakeLists.txt: OMNIHUB_USE_MOLD).
  mold
  cppzmq-dev libzmq3-dev
  libprotobuf-dev protobuf-compiler
  librocksdb-dev libspdlog-dev
  libgtest-dev libgmock-dev
  libphonenumber-dev libtomlplusplus-dev nlohmann-json3-dev
  libidn2-dev libssl-dev libzstd-dev libjemalloc-dev
  # sd_notify for the Type=notify units; systemd-analyze verifies the units in the tests.
  libsystemd-dev systemd
  libgmime-3.0-dev libgumbo-dev libicu-dev libboost-dev libxapian-dev
  swaks libnet-ssleay-perl clang libclang-rt-14-dev
  python3-prometheus-client python3-jsonschema
  prometheus python3-yaml logrotate
  chromium
  # Cluster mode's partition log (common/bus/nats/) and the servers its tests start.
  nats-server libnats-dev
  # The replica tests read each unifier's admin listener with it (tests/support/).
  curl
  # The chaos test cuts a NATS server off in a network namespace of its own (ip netns, veth).
  iproute2
)
# The console's browser tests (tests/browser/) run on node; any node >= 18 will do, so Debian's
# is installed only when there is none (a newer one from elsewhere is kept).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

# One dpkg-query for all packages (unknown ones are left out of its output).
# Status is "install ok installed" normally, "hold ok installed" when held.
declare -A installed=()
while IFS=$'\t' read -r pkg status; do
  if [[ $status == *" ok installed" ]]; then installed[$pkg]=1; fi
done < <(dpkg-query -W -f='${Package}\t${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if [[ -z ${installed[$pkg]:-} ]]; then missing+=("$pkg"); fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: missing packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_install=(apt-get install -y --no-install-recommends "${missing[@]}")

if ((EUID == 0)); then
  apt-get update
  "${apt_install[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo env DEBIAN_FRONTEND=noninteractive apt-get update
  sudo env DEBIAN_FRONTEND=noninteractive "${apt_install[@]}"
else
  echo "install-deps: not root and sudo is not available; as root, run:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive ${apt_install[*]}" >&2
  exit 1
fi
