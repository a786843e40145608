# shellcheck shell=bash
# What the local provider's VM launcher runs on the host, and so what VmLauncherIT needs:
#   qemu-system-x86  qemu-system-x86_64 runs every VM (user-mode networking: no root, no bridge)
#   socat            `socat STDIO UNIX-CONNECT:PATH`, the per-connection command of a guest forward
#                    to a load balancer's socket, and the relay from a VM's socket files to its
#                    forwarded ports inside the VM's network namespace
#   iproute2         `ip link set lo up` in that namespace
# setsid, unshare and setpriv (util-linux) are part of every Debian system. Idempotent: installs
# only what is missing.

local_provider_missing() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

setup_local_provider() {
    local missing sudo=()
    missing=$(local_provider_missing qemu-system-x86 socat iproute2)
    [[ -z $missing ]] && return 0
    if declare -F apt_install >/dev/null; then
        # shellcheck disable=SC2086 # one word per package
        apt_install $missing
        return
    fi
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || { echo "setup_local_provider: need root or sudo to install $missing" >&2; return 1; }
        sudo=(sudo)
    fi
    echo "setup_local_provider: installing $missing" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends $missing </dev/null >/dev/null
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    setup_local_provider
fi
