#!/usr/bin/env bash
# What the VM boot tests need: QEMU, the pieces they assemble test initrds from (busybox-static,
# runc, crun and their libraries, cpio; gcc and libc6-dev for a static test binary), and Debian's cloud
# kernel with its modules.
#
# Source this file and call setup_vm, or run it directly. Idempotent: packages are installed only
# when missing, and the kernel is fetched only when .tools/kernel does not already hold the version
# that linux-image-cloud-amd64 points to.
#
# The kernel is downloaded and extracted, never installed, so this machine's own kernel and boot
# configuration stay untouched. It is resolved to one exact package name first: a pattern such as
# 'linux-image-6.1.0-*' would make apt-get download every version.
#
# Result: .tools/kernel/vmlinuz, .tools/kernel/lib/modules/VERSION/ (every module of that kernel),
# .tools/kernel/PACKAGE (the package name, for the up-to-date check).

vm_log() { printf '%s\n' "$*" >&2; }

# Installs Debian packages; uses scripts/test's apt_install when it is defined.
vm_apt_install() {
    if declare -F apt_install >/dev/null; then
        apt_install "$@"
        return
    fi
    local sudo=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || { vm_log "need root or sudo to install $*"; return 1; }
        sudo=(sudo)
    fi
    vm_log "installing $*"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" </dev/null >/dev/null
}

vm_missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

# The versioned package linux-image-cloud-amd64 depends on, e.g. linux-image-6.1.0-56-cloud-amd64.
vm_kernel_package() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n 1
}

vm_kernel() {
    local out="$1/.tools/kernel" pkg tmp
    pkg=$(vm_kernel_package)
    if [[ -z $pkg ]]; then
        apt-get update -q >/dev/null 2>&1 || true
        pkg=$(vm_kernel_package)
    fi
    [[ -n $pkg ]] || { vm_log "apt-cache knows no linux-image-cloud-amd64; run apt-get update"; return 1; }
    if [[ -f $out/vmlinuz && -d $out/lib/modules && "$(cat "$out/PACKAGE" 2>/dev/null)" == "$pkg" ]]; then
        return 0
    fi
    vm_log "fetching $pkg into $out"
    tmp=$(mktemp -d)
    chmod 755 "$tmp" # apt-get download drops root to _apt, which must be able to write here
    if ! (cd "$tmp" && apt-get download -q "$pkg" >/dev/null); then
        rm -rf "$tmp"
        vm_log "apt-get download $pkg failed; run apt-get update and try again"
        return 1
    fi
    mkdir -p "$tmp/x"
    dpkg -x "$tmp"/*.deb "$tmp/x"
    rm -rf "$out/vmlinuz" "$out/lib" "$out/PACKAGE"
    mkdir -p "$out"
    cp "$tmp"/x/boot/vmlinuz-* "$out/vmlinuz"
    cp -a "$tmp/x/lib" "$out/lib"
    rm -rf "$tmp"
    echo "$pkg" >"$out/PACKAGE"
}

setup_vm() {
    local root missing
    root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
    missing=$(vm_missing_packages qemu-system-x86 busybox-static runc crun cpio gcc libc6-dev)
    if [[ -n $missing ]]; then
        # shellcheck disable=SC2086 # one word per package
        vm_apt_install $missing || return 1
    fi
    vm_kernel "$root"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    setup_vm
fi
