#!/usr/bin/env bash
# Tools the EFI disk tests use to check what i2kit wrote, and the files they boot.
#
# Source this file and call setup_disk_tools (scripts/test does), or run it directly. Idempotent:
# packages are installed only when missing, and downloads are skipped when already extracted.
#
# - dosfstools, mtools, gdisk: fsck.fat, mdir/mtype and sgdisk read the written disk (i2kit itself
#   never runs them: it writes FAT32 and GPT in Java).
# - qemu-system-x86, ovmf: the boot test runs the disk under UEFI firmware.
# - busybox-static, cpio: the boot test makes a tiny initrd.
# - Debian's cloud kernel and systemd-boot are downloaded and extracted into .tools without being
#   installed, so this machine's own kernel and boot configuration stay untouched.

disk_tools_log() { printf '%s\n' "$*" >&2; }

# Installs Debian packages that are missing. Uses scripts/test's apt_install when it is defined.
disk_tools_apt_install() {
    if declare -F apt_install >/dev/null; then
        apt_install "$@"
        return
    fi
    local sudo=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || { disk_tools_log "need root or sudo to install $*"; return 1; }
        sudo=(sudo)
    fi
    disk_tools_log "installing $*"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@" </dev/null >/dev/null
}

disk_tools_missing_packages() {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || echo "$pkg"
    done
}

# disk_tools_fetch PACKAGE DIR: downloads exactly PACKAGE (no wildcard: a pattern such as
# 'linux-image-6.1.0-*' fetches every version) and extracts it into DIR without installing it.
disk_tools_fetch() {
    local pkg=$1 dir=$2 tmp options=()
    # As root apt hands downloads to its _apt user, which cannot write into a private temp dir.
    [[ $(id -u) != 0 ]] || options=(-o APT::Sandbox::User=root)
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -q "${options[@]}" "$pkg" >/dev/null) || {
        rm -rf "$tmp"
        disk_tools_log "apt-get download $pkg failed; run apt-get update and try again"
        return 1
    }
    mkdir -p "$dir"
    dpkg -x "$tmp"/*.deb "$dir"
    rm -rf "$tmp"
}


# .tools/systemd-boot/systemd-bootx64.efi from Debian's systemd-boot-efi, extracted, not installed.
disk_tools_systemd_boot() {
    local root=$1 out="$1/.tools/systemd-boot" version tmp
    version=$(apt-cache policy systemd-boot-efi 2>/dev/null | sed -n 's/^ *Candidate: //p')
    [[ -n $version && $version != "(none)" ]] || { disk_tools_log "apt-cache knows no systemd-boot-efi; run apt-get update"; return 1; }
    if [[ -f $out/systemd-bootx64.efi && "$(cat "$out/VERSION" 2>/dev/null)" == "$version" ]]; then
        return 0
    fi
    disk_tools_log "fetching systemd-boot-efi $version into $out"
    tmp=$(mktemp -d)
    disk_tools_fetch "systemd-boot-efi=$version" "$tmp" || { rm -rf "$tmp"; return 1; }
    rm -rf "$out"
    mkdir -p "$out"
    cp "$tmp"/usr/lib/systemd/boot/efi/systemd-bootx64.efi "$out/"
    rm -rf "$tmp"
    echo "$version" >"$out/VERSION"
}

setup_disk_tools() {
    local root missing
    root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
    missing=$(disk_tools_missing_packages dosfstools mtools gdisk qemu-system-x86 ovmf busybox-static cpio)
    if [[ -n $missing ]]; then
        # shellcheck disable=SC2086 # one word per package
        disk_tools_apt_install $missing || return 1
    fi
    # The cloud kernel is shared with the VM tests, in vm.sh's layout (.tools/kernel/vmlinuz).
    # shellcheck source=vm.sh
    source "$root/scripts/setup.d/vm.sh"
    vm_kernel "$root" || return 1
    disk_tools_systemd_boot "$root" || return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    setup_disk_tools
fi
