# shellcheck shell=bash
# Sourced by scripts/test: what `i2kit bootstrap` and BootstrapIT need on a Debian machine.
#
# i2kit reads the package indexes apt keeps in /var/lib/apt/lists (apt verified them against the
# archive's signed InRelease), so apt-get update must have run once; it runs here only when no
# Packages index is there. BootstrapIT also runs the built runc image under the host's runc; the
# bundle ITs run under both runc and crun.

setup_bootstrap() {
    local sudo=()
    if [[ $(id -u) != 0 ]]; then
        command -v sudo >/dev/null || { echo "setup_bootstrap: need root or sudo for apt-get" >&2; return 1; }
        sudo=(sudo)
    fi
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        echo "setup_bootstrap: no apt package indexes yet; running apt-get update" >&2
        "${sudo[@]}" apt-get update -q >/dev/null || { echo "setup_bootstrap: apt-get update failed" >&2; return 1; }
    fi
    if ! command -v runc >/dev/null || ! command -v crun >/dev/null; then
        if declare -F apt_install >/dev/null; then
            apt_install runc crun
        else
            DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends runc crun </dev/null >/dev/null
        fi
    fi
}
