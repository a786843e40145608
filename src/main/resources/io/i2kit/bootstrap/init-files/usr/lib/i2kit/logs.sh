# Central logs on EC2, sourced by /init (busybox ash; docs/aws.md, "Logs"): every container's
# output and the init's own lines go to CloudWatch Logs, group /i2kit/APP/SERVICE (the boot
# metadata's logs/group), streams INSTANCE/CONTAINER and INSTANCE/init.
#
#   logs_prepare   after apply_metadata: shipping or not (only with metadata from imds that names
#                  a group); a local VM stops spooling the init's lines here
#   logs_start     after aws_prepare (which hands over the role's credentials): the shipper
#
# The way out has two halves that never wait for each other:
# - Writers append to spool files on the /run tmpfs: the awk that labels a container's lines for the
#   console (logs-spool.awk) and the init's log() ("+UPTIME LINE"). Nothing on a container's
#   output path touches the network or waits for the shipper.
# - The shipper, a background loop, claims each spool file every $logs_interval seconds (a rename:
#   the next line starts a new file), and sends what it claimed the cycle before (so that a write
#   begun before the rename has ended) with PutLogEvents, one batch per stream (logs-batch.awk),
#   signed with the instance role's credentials (sigv4.sh). Sent files are deleted. While
#   CloudWatch is unreachable, each stream keeps at most $logs_bound bytes: the oldest claimed
#   files go, and the init logs how many lines. Failed attempts are retried with a delay doubling
#   up to a minute.
# - The role's credentials are renewed from IMDS 15 minutes before they expire. IMDS is closed to
#   every process by a prohibit route (aws.sh); for the renewal the shipper freezes every container
#   (cgroup v2 freezer), lifts the route, reads new credentials, puts the route back, and thaws them:
#   no container runs while IMDS is open. Containers cannot write to cgroup files (their
#   /sys/fs/cgroup is read-only) and run_container waits while a renewal is under way.

logs_dir=${logs_dir:-/run/i2kit/logs}
logs_spool=""
logs_interval=${logs_interval:-5}
logs_bound=${logs_bound:-1048576}
logs_limit=${logs_limit:-262144}
logs_lib=${i2kit_lib:-/usr/lib/i2kit}

logs_prepare() {
    local provider=""
    [ -r /run/config/provider ] && read -r provider </run/config/provider
    if [ "$provider" = imds ] && [ -s /run/config/i2kit/logs/group ]; then
        logs_spool=$logs_dir/spool
        return 0
    fi
    # a local VM's console is its log: the init's early lines are not kept
    log_spool=""
    : >"$logs_dir/spool/init"
}

# The credentials aws_prepare handed over, for the shipper (logs_handover writes them).
logs_credentials=$logs_dir/credentials

# logs_handover ROLE EXPIRATION: called by _aws_prepare (umask 077) with the credentials in its
# variables, so that the shipper starts without asking IMDS again.
logs_handover() {
    [ -n "$logs_spool" ] || return 0
    printf '%s\n' "$1" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$2" "$aws_region" \
        "$aws_instance" >"$logs_credentials"
}

logs_start() {
    [ -n "$logs_spool" ] || return 0
    if [ ! -s "$logs_credentials" ]; then
        log "logs: no credentials from the boot's AWS preparation; not shipping"
        logs_spool=""
        return 0
    fi
    [ -p "$logs_dir/wake" ] || mkfifo -m 0600 "$logs_dir/wake"
    (logs_ship) </dev/null &
    log "logs: shipping to CloudWatch Logs group $(cat /run/config/i2kit/logs/group)"
}

# Called before a container starts: not while IMDS is open for a renewal (a new container's
# cgroup would not be frozen).
logs_await_renewal() {
    while [ -e "$logs_dir/renewing" ]; do sleep 0.2; done
}

# logs_flush: at shutdown, a last cycle for what the containers wrote (5 s at most).
logs_flush() {
    local tries=25
    [ -p "$logs_dir/wake" ] || return 0
    rm -f "$logs_dir/flushed"
    echo flush >"$logs_dir/wake" &
    while [ $tries -gt 0 ] && [ ! -e "$logs_dir/flushed" ]; do
        sleep 0.2
        tries=$((tries - 1))
    done
}

# ---------------------------------------------------------------------------------------------
# The shipper (a background subshell for the VM's life)

logs_ship() {
    local role expiration seq=1000000000 delay now up rest word tries failures=0
    umask 077
    aws_dir=$logs_dir/aws
    mkdir -p "$aws_dir" "$logs_dir/queue" && chmod 0700 "$aws_dir" || return 1
    { read -r role; read -r AWS_ACCESS_KEY_ID; read -r AWS_SECRET_ACCESS_KEY; read -r AWS_SESSION_TOKEN
      read -r expiration; read -r aws_region; read -r aws_instance; } <"$logs_credentials"
    rm -f "$logs_credentials"
    read -r logs_group </run/config/i2kit/logs/group
    aws_logs=$(_aws_endpoint logs) || return 1
    logs_boot_epoch
    logs_expires=$(logs_epoch "$expiration")
    logs_renewed=0
    logs_created=" "
    delay=$logs_interval
    # the boot first (its lines wait in the spool): under emulation the shipper's forks would slow it
    word=""
    tries=0
    while [ ! -e /run/i2kit/booted ] && [ -z "$word" ] && [ $tries -lt 300 ]; do
        read -t 1 word <>"$logs_dir/wake"
        tries=$((tries + 1))
    done
    while :; do
        [ -n "$word" ] || read -t "$delay" word <>"$logs_dir/wake"
        read -r up rest </proc/uptime
        now=$((logs_boot + ${up%.*}))
        # the files claimed a cycle ago, then this cycle's claims: a write begun before a rename has ended
        if logs_renew_if_due "$now" "$role" && logs_send_all; then
            [ $failures = 0 ] || log "logs: CloudWatch Logs took the lines again after $failures failed attempts"
            failures=0
            delay=$logs_interval
        else
            [ $failures = 0 ] && log "logs: cannot ship to CloudWatch Logs; keeping the newest $logs_bound bytes of each stream, trying again"
            failures=$((failures + 1))
            delay=$((delay * 2))
            [ $delay -gt 60 ] && delay=60
        fi
        seq=$((seq + 1))
        logs_claim "$seq"
        if [ "$word" = flush ]; then
            logs_send_all
            : >"$logs_dir/flushed"
        fi
        word=""
    done
}

# logs_boot: the epoch second at uptime 0 (the init's lines carry uptimes; date is a fork, once).
logs_boot_epoch() {
    local now up rest
    now=$(date +%s)
    read -r up rest </proc/uptime
    logs_boot=$((now - ${up%.*}))
}

# logs_epoch ISO8601: IMDS's Expiration ("2026-12-03T23:00:00Z") in epoch seconds (0 if unknown).
logs_epoch() {
    date -u -D '%Y-%m-%dT%H:%M:%SZ' -d "$1" +%s 2>/dev/null || echo 0
}

# logs_claim SEQ: every spool file with lines becomes queue/STREAM/SEQ; the writers' drop counts
# are reported.
logs_claim() {
    local f name count total
    for f in "$logs_dir"/spool/*; do
        [ -s "$f" ] || continue
        name=${f##*/}
        case $name in
        *.dropped)
            total=0
            while read -r count; do total=$((total + count)); done <"$f"
            rm -f "$f"
            log "logs: dropped $total lines of ${name%.dropped}: the shipper did not claim them in time"
            continue ;;
        esac
        [ -d "$logs_dir/queue/$name" ] || mkdir -p "$logs_dir/queue/$name"
        mv "$f" "$logs_dir/queue/$name/$1"
    done
}

# logs_send_all: a batch for each stream with claimed files; false if one was not sent.
logs_send_all() {
    local dir ok=0
    for dir in "$logs_dir"/queue/*/; do
        [ -d "$dir" ] || continue
        logs_send "${dir%/}" || ok=1
    done
    return $ok
}

# logs_send DIR: the claimed files of one stream, in batches, until none is left.
logs_send() {
    local dir=$1 name=${1##*/} files f kind file n events dropped status batch=$logs_dir/batch
    while :; do
        files=""
        for f in "$dir"/[0-9]*; do [ -f "$f" ] && files="$files $f"; done
        [ -n "$files" ] || return 0
        rm -rf "$batch"
        mkdir "$batch" || return 1
        # shellcheck disable=SC2086 # file names are digits under our own directory
        awk -v group="$logs_group" -v stream="$aws_instance/$name" -v boot="$logs_boot" -v limit="$logs_limit" \
            -v bound="$logs_bound" -v out="$batch" -f "$logs_lib/logs-batch.awk" $files >"$batch/plan" \
            || { log "logs: cannot batch the lines of $name"; return 1; }
        events=0
        dropped=0
        while read -r kind file n; do
            case $kind in
            drop) rm -f "$file"; dropped=$((dropped + n)) ;;
            events) events=$file ;;
            esac
        done <"$batch/plan"
        [ $dropped = 0 ] || log "logs: dropped the $dropped oldest lines of $name: more than $logs_bound bytes were waiting"
        if [ "$events" -gt 0 ]; then
            logs_stream "$name" || return 1
            mv "$batch/body" "$aws_dir/body"
            status=$(_aws_send logs "$aws_logs" application/x-amz-json-1.1 Logs_20140328.PutLogEvents)
            if [ "$status" != 200 ]; then
                [ $failures != 0 ] || log "logs: PutLogEvents to $aws_instance/$name: HTTP $status $(_aws_error)"
                return 1
            fi
        fi
        while read -r kind file n; do
            case $kind in
            done) rm -f "$file" ;;
            rest) mv "$batch/rest" "$file" ;;
            esac
        done <"$batch/plan"
        rm -rf "$batch" "$aws_dir/answer"
    done
}

# logs_stream NAME: creates the stream INSTANCE/NAME once (a stream that exists already will do).
logs_stream() {
    local status code
    in_list "$1" "$logs_created" && return 0
    printf '{"logGroupName":"%s","logStreamName":"%s/%s"}' "$logs_group" "$aws_instance" "$1" >"$aws_dir/body"
    status=$(_aws_send logs "$aws_logs" application/x-amz-json-1.1 Logs_20140328.CreateLogStream)
    if [ "$status" != 200 ]; then
        code=$(_aws_error)
        case $code in
        *ResourceAlreadyExists*) ;;
        *)
            [ $failures != 0 ] || log "logs: cannot create the stream $aws_instance/$1 in $logs_group: HTTP $status $code"
            return 1 ;;
        esac
    fi
    logs_created="$logs_created$1 "
}

# logs_renew_if_due NOW ROLE: new credentials when those held expire within 15 minutes (at most
# one renewal every 5 minutes, so that credentials IMDS gives with less time left are not asked
# for at every cycle). False only when the held ones have expired and no new ones came.
logs_renew_if_due() {
    [ "$logs_expires" -gt $(($1 + 900)) ] && return 0
    [ $(($1 - logs_renewed)) -ge 300 ] || [ "$logs_renewed" = 0 ] || return 0
    logs_renewed=$1
    if logs_renew "$2"; then
        return 0
    fi
    [ "$logs_expires" -gt "$1" ]
}

# logs_renew ROLE: the containers frozen, IMDS opened for the shipper alone, closed again.
logs_renew() {
    local role=$1 token="" frozen="" paused=0 f ok=1 expiration tries
    : >"$logs_dir/renewing"
    # no container starts from now on; one whose start began before has half a second to make its cgroup
    sleep 0.5
    for f in /sys/fs/cgroup/*/cgroup.freeze; do
        [ -f "$f" ] || continue
        echo 1 >"$f" && frozen="$frozen ${f%/cgroup.freeze}" && paused=$((paused + 1))
    done
    for f in $frozen; do
        tries=50
        while [ $tries -gt 0 ] && ! grep -qx 'frozen 1' "$f/cgroup.events"; do
            sleep 0.02
            tries=$((tries - 1))
        done
    done
    ip route del prohibit 169.254.169.254/32 2>/dev/null
    token=$(imds_http PUT /latest/api/token 'X-aws-ec2-metadata-token-ttl-seconds: 60') \
        && [ -n "$token" ] \
        && imds_http GET "/latest/meta-data/iam/security-credentials/$role" "X-aws-ec2-metadata-token: $token" \
            >"$aws_dir/credentials" \
        && ok=0
    token=""
    ip route add prohibit 169.254.169.254/32 2>/dev/null || ip route replace prohibit 169.254.169.254/32 \
        || fatal "logs: cannot block the instance metadata service again"
    for f in $frozen; do echo 0 >"$f/cgroup.freeze"; done
    rm -f "$logs_dir/renewing"
    if [ $ok = 0 ]; then
        expiration=$(_aws_json Expiration "$aws_dir/credentials") \
            && AWS_ACCESS_KEY_ID=$(_aws_json AccessKeyId "$aws_dir/credentials") \
            && AWS_SECRET_ACCESS_KEY=$(_aws_json SecretAccessKey "$aws_dir/credentials") \
            && AWS_SESSION_TOKEN=$(_aws_json Token "$aws_dir/credentials") \
            || ok=1
    fi
    rm -f "$aws_dir/credentials"
    if [ $ok != 0 ]; then
        log "logs: cannot renew the credentials of role $role from IMDS"
        return 1
    fi
    logs_expires=$(logs_epoch "$expiration")
    log "logs: credentials renewed, expiring $expiration ($paused containers paused while IMDS was open)"
}
