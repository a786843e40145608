# shellcheck shell=bash
# Tools the registry integration tests drive: Debian's distribution registry (the server), skopeo
# (pushes test images), umoci (builds them), htpasswd from apache2-utils (bcrypt users for the
# registry's basic auth). keytool comes with the JDK. Idempotent: installs only what is missing.

setup_registry() {
    local missing=() cmd pkg
    for pair in docker-registry:docker-registry skopeo:skopeo umoci:umoci htpasswd:apache2-utils; do
        cmd=${pair%%:*}
        pkg=${pair#*:}
        command -v "$cmd" >/dev/null || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    # One update per shell, shared with other setup functions that follow the same convention.
    if [[ ${apt_updated:-false} != true ]]; then
        "${sudo[@]}" apt-get update -q >/dev/null || return 1
        apt_updated=true
    fi
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}
