# shellcheck shell=bash
# Sourced by scripts/test. The image tests (InitrdToolsIT) check i2kit's initrds with the real
# tools: cpio lists and extracts them, gzip/zstd/lz4 test and decompress them. i2kit itself never
# runs any of these.

# Installs, only when missing, the archive tools the image tests use.
setup_archive_tools() {
    local cmd pkg missing=()
    for pair in cpio:cpio gzip:gzip zstd:zstd lz4:lz4; do
        cmd=${pair%%:*}
        pkg=${pair#*:}
        command -v "$cmd" >/dev/null || missing+=("$pkg")
    done
    (( ${#missing[@]} == 0 )) && return 0
    if declare -F apt_install >/dev/null; then
        apt_install "${missing[@]}"
    else
        local sudo=()
        [[ $(id -u) == 0 ]] || sudo=(sudo)
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}
