# shellcheck shell=bash
# Sourced by scripts/test: what TlsPipeIT needs, an OpenSSL server (openssl s_server) for the
# init's HTTPS path (busybox ssl_client, which comes with busybox-static; see vm.sh).

setup_init_tls() {
    need_cmd openssl openssl
}
