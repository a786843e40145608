# shellcheck shell=bash
# Shared by bench/build/run, bench/boot/run and bench/memory/run: the jar, a bootstrapped
# $I2KIT_HOME, QEMU boots timed to the first HTTP answer, medians. Source it; it defines only
# functions and the variables bench_root and bench_jar.

bench_root=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../..")
bench_jar=$bench_root/target/i2kit.jar

log() { printf '%s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Builds target/i2kit.jar when it is missing or older than the sources (the launcher knows how).
bench_build_jar() {
    "$bench_root/i2kit" --version >/dev/null
}

bench_need_tools() {
    local missing=() tool pkg
    for tool in qemu-system-x86_64:qemu-system-x86 curl:curl cpio:cpio jq:jq zstd:zstd lz4:lz4 \
            /bin/busybox:busybox-static; do
        pkg=${tool#*:}
        tool=${tool%%:*}
        if [[ $tool == /* ]]; then [[ -x $tool ]] || missing+=("$pkg"); else command -v "$tool" >/dev/null || missing+=("$pkg"); fi
    done
    # busybox-static and busybox both install /bin/busybox; only the static one runs as /init.
    if [[ -x /bin/busybox ]] && command -v file >/dev/null && ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
        missing+=(busybox-static)
    fi
    (( ${#missing[@]} == 0 )) && return
    log "installing ${missing[*]} with apt-get"
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
}

# bench_bootstrap HOME [DEB_CACHE]: `i2kit bootstrap --examples` into HOME, with the .deb files
# of DEB_CACHE (default .tools/deb-cache, the cache the tests use). The CLI has no option for a
# separate download cache (only the Java API has, Bootstrap.Options.withDebCache), but it keeps
# the .deb files it downloads in the store's blobs/sha256 under their own SHA256 and never fetches
# one that is there: so the cache's blobs are copied into HOME first, and the .deb files the
# bootstrap had to download are copied back into the cache afterwards.
bench_bootstrap() {
    local home=$1 cache=${2:-$bench_root/.tools/deb-cache} blob started
    mkdir -p "$home/blobs/sha256" "$cache/blobs/sha256"
    [[ -f $cache/oci-layout ]] || printf '{"imageLayoutVersion":"1.0.0"}' >"$cache/oci-layout"
    for blob in "$cache"/blobs/sha256/*; do
        [[ -f $blob && ! -e $home/blobs/sha256/${blob##*/} ]] && cp "$blob" "$home/blobs/sha256/"
    done
    started=$(date +%s%N)
    if ! I2KIT_HOME=$home java -jar "$bench_jar" bootstrap --examples --examples-dir "$bench_root/examples/images" \
            -f "$bench_root/examples/web" >"$home.bootstrap.log" 2>&1; then
        tail -n 20 "$home.bootstrap.log" >&2
        die "i2kit bootstrap --examples into $home failed; see $home.bootstrap.log"
    fi
    log "bootstrapped $home in $(( ($(date +%s%N) - started) / 1000000 )) ms"
    # An example's i2kit.lock pins the base and example images by digest: every example the benches
    # build gets the base digests just built (recorded in examples/web's lock by -f) and forgets its
    # example images' digests (the build pins their current tags again), so a changed init, runtime
    # or example image is what boots, not the one locked when the example was first built.
    local app lock=$bench_root/examples/web/i2kit.lock
    for app in "$bench_root"/examples/*/; do
        [[ -f $app/i2kit.lock ]] || continue
        jq --slurpfile w "$lock" '.images |= (with_entries(select(.key | startswith("oci:../images/") | not))
                + ($w[0].images | with_entries(select(.key | startswith("i2kit.local/")))))' \
            "$app/i2kit.lock" >"$app/i2kit.lock.new" && mv "$app/i2kit.lock.new" "$app/i2kit.lock"
    done
    for blob in "$home"/blobs/sha256/*; do
        [[ -e $cache/blobs/sha256/${blob##*/} ]] && continue
        cmp -s -n 7 "$blob" <(printf "!<arch>") && cp "$blob" "$cache/blobs/sha256/"
    done
    return 0
}

# bench_web_image HOME OUT COMPRESSION: builds examples/web (kernel+initrd) into OUT.
bench_web_image() {
    local home=$1 out=$2 compression=$3
    I2KIT_HOME=$home java -jar "$bench_jar" build -f "$bench_root/examples/web" --out "$out" \
        --compression "$compression" >"$out.log" 2>&1 || { tail -n 20 "$out.log" >&2; die "i2kit build of examples/web ($compression) failed"; }
}

bench_free_port() {
    local port i
    for (( i = 0; i < 50; i++ )); do
        port=$(shuf -i 20000-60000 -n 1)
        ss -Htln "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
    done
    die "no free TCP port found"
}

# The QEMU process of the boot under way, so that a trap can stop it.
bench_qemu_pid=
bench_stop_qemu() {
    if [[ -n $bench_qemu_pid ]]; then
        kill "$bench_qemu_pid" 2>/dev/null || true
        wait "$bench_qemu_pid" 2>/dev/null || true
        bench_qemu_pid=
    fi
}

# bench_boot KERNEL INITRD CMDLINE MEM_MIB TIMEOUT_S CONSOLE [PATH...]: boots under QEMU (TCG) with
# the flags every benchmark uses and prints the milliseconds from starting QEMU to the first
# HTTP 200 on "/" through hostfwd. Each further PATH must then answer 200 too. Returns 1 (and
# prints the milliseconds until it gave up) if the guest died or did not answer in time. QEMU is
# always stopped before it returns. After the milliseconds, on the same line: for each string in
# the array bench_marks, the milliseconds until it first appeared on the console ("-" if never).
#
# A request is started every 100 ms, each in the background with its own 3 s limit, and the
# answer's time is when the first 200 came back. Sequential requests would not do: until the
# guest's interface is up, hostfwd accepts the connection and then stalls it, so a request in
# flight when the guest starts listening can hide the answer for up to its whole time limit.
bench_marks=()
bench_boot() {
    local kernel=$1 initrd=$2 cmdline=$3 mem=$4 limit=$5 console=$6
    shift 6
    local port start now deadline ok=1 path i n=0 answers
    local seen=() pids=()
    for (( i = 0; i < ${#bench_marks[@]}; i++ )); do seen[i]=-; done
    port=$(bench_free_port)
    answers=$(mktemp -d)
    start=$(date +%s%N)
    deadline=$(( start + limit * 1000000000 ))
    timeout "$(( limit + 5 ))" qemu-system-x86_64 -m "$mem" -smp 1 -display none -monitor none \
        -serial "file:$console" -no-reboot -kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
        -nic "user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$port-:80" >"$console.qemu" 2>&1 &
    bench_qemu_pid=$!
    while :; do
        # An HTTP answer, not a TCP connect: hostfwd accepts connections before the guest listens.
        (
            code=$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$port/")
            [[ $code == 200 ]] && date +%s%N >"$answers/$n"
        ) &
        pids+=($!)
        n=$(( n + 1 ))
        sleep 0.1
        now=$(date +%s%N)
        for (( i = 0; i < ${#bench_marks[@]}; i++ )); do
            if [[ ${seen[i]} == - ]] && grep -qF -- "${bench_marks[i]}" "$console" 2>/dev/null; then
                seen[i]=$(( (now - start) / 1000000 ))
            fi
        done
        if compgen -G "$answers/*" >/dev/null; then
            now=$(cat "$answers"/* | sort -n | head -n 1)
            ok=0
            break
        fi
        if (( now > deadline )) || ! kill -0 "$bench_qemu_pid" 2>/dev/null; then
            break
        fi
    done
    if (( ok == 0 )); then
        for path in "$@"; do
            [[ $(curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:$port$path") == 200 ]] || ok=1
        done
    fi
    bench_stop_qemu
    # The requests still in flight end when QEMU closes its sockets.
    wait "${pids[@]}" 2>/dev/null || true
    rm -rf "$answers"
    for (( i = 0; i < ${#bench_marks[@]}; i++ )); do
        if [[ ${seen[i]} == - ]] && grep -qF -- "${bench_marks[i]}" "$console" 2>/dev/null; then
            seen[i]=$(( (now - start) / 1000000 ))
        fi
    done
    echo "$(( (now - start) / 1000000 ))${seen[*]:+ ${seen[*]}}"
    return $ok
}

# bench_median: the median of the numbers on stdin, one per line (empty if none).
bench_median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# bench_home: the $I2KIT_HOME that bench/boot and bench/memory share (bench/results/home),
# bootstrapped again on every call (an unchanged bootstrap builds nothing: 10-15 s here).
bench_home() {
    local home=$bench_root/bench/results/home
    bench_bootstrap "$home"
    echo "$home"
}

# The modules virtio networking needs, in load order (each after its depends=).
bench_net_modules=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net)

# bench_baseline_initrd HOME IMAGE_DIR DEST: writes DEST, a gzip newc initrd of static busybox
# whose /init mounts proc, sys and dev, loads the virtio network modules, takes a DHCP lease
# (udhcpc with the flags i2kit's init uses) and serves HTTP with busybox httpd: the least a VM
# needs to answer HTTP. The modules come from the kernel image IMAGE_DIR/web.yml names (its
# kernel.tar, in HOME's store), whose /kernel must be IMAGE_DIR/web-kernel byte for byte.
bench_baseline_initrd() {
    local home=$1 image=$2 dest=$3 ref manifest layer tmp release m size
    ref=$(grep -o 'i2kit\.local/kernel:[^@ ]*@sha256:[0-9a-f]*' "$image/web.yml" | head -n 1)
    [[ -n $ref ]] || die "no kernel image in $image/web.yml"
    manifest=$home/blobs/sha256/${ref##*sha256:}
    [[ -f $manifest ]] || die "the kernel image $ref is not in $home"
    layer=$home/blobs/sha256/$(jq -r '.layers[0].digest' "$manifest" | cut -d: -f2)
    tmp=$(mktemp -d)
    tar -xzf "$layer" -C "$tmp" kernel kernel.tar
    cmp -s "$tmp/kernel" "$image/web-kernel" || die "$image/web-kernel is not the kernel of $ref"
    mkdir -p "$tmp/root" "$tmp/modules"
    tar -xf "$tmp/kernel.tar" -C "$tmp/modules"
    release=$(ls "$tmp/modules/lib/modules")
    local r=$tmp/root
    mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/etc" "$r/www" "$r/lib/modules/$release"
    cp /bin/busybox "$r/bin/busybox"
    for m in "${bench_net_modules[@]}"; do
        local path
        path=$(grep -E "/${m}\.ko(\.[a-z]+)?$" "$tmp/modules/lib/modules/$release/i2kit.load" | head -n 1)
        [[ -n $path ]] || die "module $m is not in the kernel image's i2kit.load"
        mkdir -p "$r/lib/modules/$release/${path%/*}"
        cp "$tmp/modules/lib/modules/$release/$path" "$r/lib/modules/$release/$path"
        echo "$path" >>"$r/lib/modules/$release/baseline.load"
    done
    echo ok >"$r/www/index.html"
    cat >"$r/init" <<'INIT'
#!/bin/busybox sh
# The benchmark's baseline: the least a VM needs to answer HTTP.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
release=$(uname -r)
echo "baseline: init on $release"
while read -r m; do
    insmod "/lib/modules/$release/$m" || echo "baseline: cannot load $m"
done <"/lib/modules/$release/baseline.load"
ip link set lo up
ip link set eth0 up
udhcpc -i eth0 -s /etc/udhcpc.script -t 10 -T 1 -b >/dev/null
httpd -p 80 -h /www
echo "baseline: httpd started"
while :; do sleep 3600; done
INIT
    cat >"$r/etc/udhcpc.script" <<'SCRIPT'
#!/bin/sh
case $1 in
deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
bound | renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
    for r in $router; do route add default gw "$r" dev "$interface"; break; done ;;
esac
exit 0
SCRIPT
    chmod 755 "$r/init" "$r/etc/udhcpc.script"
    (cd "$r" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 -n) >"$dest"
    rm -rf "$tmp"
    size=$(stat -c %s "$dest")
    (( size <= 2 * 1048576 )) || die "the baseline initrd is $size bytes, more than 2 MiB"
}

# bench_boot_check KERNEL INITRD CMDLINE MEM_MIB TIMEOUT_S CONSOLE GUEST_PORT CHECK: boots under
# QEMU (TCG) with the flags of bench_boot, forwarding a free host port to GUEST_PORT (none: no
# forward), and calls the shell function CHECK HOST_PORT CONSOLE every 0.3 s until it succeeds
# (returns 0), the guest panics, its init gives up or the OOM killer strikes (returns 1 at once: a
# service that lost a process to the OOM killer does not count as serving), or TIMEOUT_S passes.
# Prints the milliseconds until then. QEMU is always stopped before it returns.
# bench_qemu_extra (an array, empty by default): more QEMU arguments for the next boots, such as
# fw_cfg items and disks.
bench_qemu_extra=()
bench_boot_check() {
    local kernel=$1 initrd=$2 cmdline=$3 mem=$4 limit=$5 console=$6 guest=$7 check=$8
    local port start deadline ok=1 nic
    port=$(bench_free_port)
    nic=user,model=virtio-net-pci
    [[ $guest == none ]] || nic+=",hostfwd=tcp:127.0.0.1:$port-:$guest"
    start=$(date +%s%N)
    deadline=$(( start + limit * 1000000000 ))
    : >"$console"
    timeout "$(( limit + 5 ))" qemu-system-x86_64 -m "$mem" -smp 1 -display none -monitor none \
        -serial "file:$console" -no-reboot -kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
        -nic "$nic" "${bench_qemu_extra[@]}" >"$console.qemu" 2>&1 &
    bench_qemu_pid=$!
    while (( $(date +%s%N) < deadline )) && kill -0 "$bench_qemu_pid" 2>/dev/null; do
        if "$check" "$port" "$console"; then ok=0; break; fi
        grep -qi 'Kernel panic\|i2kit: fatal\|out of memory\|oom-kill' "$console" 2>/dev/null && break
        sleep 0.3
    done
    echo "$(( ($(date +%s%N) - start) / 1000000 ))"
    bench_stop_qemu
    return $ok
}

# Checks for bench_boot_check, each HOST_PORT CONSOLE.
# bench_http_ok PORT [PATH]: an HTTP 200 (default path /).
bench_http_ok() { [[ $(curl -s -o /dev/null -m 2 -w "%{http_code}" "http://127.0.0.1:$1${2:-/}") == 200 ]]; }
bench_redis_pong() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "PING\r\n" >&3 && head -c 7 <&3' "$1" 2>/dev/null | grep -q PONG
}
# bench_redis_auth_pong PORT PASSWORD: AUTH, then PING answers +PONG.
bench_redis_auth_pong() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" && printf "AUTH %s\r\nPING\r\n" "$1" >&3 && head -c 12 <&3' "$1" "$2" \
        2>/dev/null | grep -q PONG
}
