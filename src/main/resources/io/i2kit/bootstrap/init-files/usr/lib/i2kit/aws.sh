# What a pod VM does at boot on EC2, before any container starts (sourced by the init; docs/aws.md):
# with the instance role's credentials from IMDSv2 it attaches its EBS volumes (EC2 AttachVolume)
# and reads its secrets (SSM GetParameter), then closes the metadata service to every process.
#
#   aws_prepare   (in boot(), after apply_metadata; does its work only when the metadata came from
#                  imds, and closes IMDS whenever the machine is EC2 (the init's on_ec2)); when the VM
#                  ships its logs, hands the role's credentials to the shipper (logs.sh)
#
# Requests are signed by sigv4.sh and sent over busybox nc: plain HTTP to an IP address (the test
# endpoints), or HTTPS through busybox's ssl_client with the endpoint's name as SNI. Names are
# resolved by busybox nslookup, busybox's own DNS client: busybox-static's wget resolves through
# glibc, which needs NSS modules a static binary cannot load, and crashes. busybox's TLS does not
# verify the server's certificate.
#
# Credentials, tokens and secret values live only in this subshell's variables and in files under
# /run/i2kit/aws (0700, removed at the end); they never reach the console, a process's arguments
# (readable by every process of the VM) or a file outside /run/i2kit/secret-values.

aws_dir=/run/i2kit/aws
. "${i2kit_lib:-/usr/lib/i2kit}/sigv4.sh"

aws_prepare() {
    local provider="" start end rest
    [ -r /run/config/provider ] && read -r provider </run/config/provider
    if [ "$provider" != imds ]; then
        # on EC2 without its metadata (IMDS failed at boot), containers must not find it later
        on_ec2 && aws_block_imds
        return 0
    fi
    if [ -n "$logs_spool" ] || _aws_has_work; then
        read -r start rest </proc/uptime
        # a subshell: the credentials are gone with it, and umask 077 holds for every file it writes
        if ! (umask 077 && _aws_prepare); then
            # without its disk or its secrets a VM must not run; without its log shipper it may
            _aws_has_work && fatal "aws: boot preparation failed (the lines above say why)"
            log "aws: no credentials for the log shipper; this VM's logs stay on its console"
        fi
        read -r end rest </proc/uptime
        end=$((${end%.*}${end#*.} - ${start%.*}${start#*.}))
        log "aws: boot preparation done in $((end / 100)).$((end / 10 % 10)) s"
    fi
    aws_block_imds
}

# Whether the metadata names an EBS volume or a secret.
_aws_has_work() {
    local f disk
    for f in /run/config/i2kit/volumes/*; do
        [ -f "$f" ] || continue
        disk=""
        { read -r disk || [ -n "$disk" ]; } <"$f" && case $disk in vol-*) return 0 ;; esac
    done
    [ -s /run/config/i2kit/secrets ]
}

# Every process loses the metadata service (and with it the role's credentials): a prohibit route
# (the kernel refuses connect with EACCES) for IMDS's IPv4 and IPv6 addresses. Containers share the
# VM's network namespace but lack CAP_NET_ADMIN, so cannot remove the route (docs/aws.md).
aws_block_imds() {
    ip route add prohibit 169.254.169.254/32 2>/dev/null || ip route replace prohibit 169.254.169.254/32 \
        || fatal "aws: cannot block the instance metadata service"
    ip -6 route add prohibit fd00:ec2::254/128 2>/dev/null
    log "aws: instance metadata service blocked for every process"
}

_aws_prepare() {
    local token role region instance app f name disk line version letter=f expiration
    rm -rf "$aws_dir"
    mkdir -m 0700 "$aws_dir" || return 1
    token=$(imds_http PUT /latest/api/token 'X-aws-ec2-metadata-token-ttl-seconds: 300') && [ -n "$token" ] \
        || { log "aws: no IMDSv2 token"; return 1; }
    # IMDS answers end without a newline: command substitution, not read
    instance=$(_aws_imds "$token" /latest/meta-data/instance-id) && [ -n "$instance" ] \
        || { log "aws: no instance id"; return 1; }
    _aws_imds "$token" /latest/dynamic/instance-identity/document >"$aws_dir/identity" \
        && region=$(_aws_json region "$aws_dir/identity") && [ -n "$region" ] \
        || { log "aws: no region in the instance identity document"; return 1; }
    role=$(_aws_imds "$token" /latest/meta-data/iam/security-credentials/ | head -n 1) && [ -n "$role" ] \
        || { log "aws: the instance has no role (instance profile)"; return 1; }
    _aws_imds "$token" "/latest/meta-data/iam/security-credentials/$role" >"$aws_dir/credentials" \
        || { log "aws: cannot read the credentials of role $role"; return 1; }
    AWS_ACCESS_KEY_ID=$(_aws_json AccessKeyId "$aws_dir/credentials") \
        && AWS_SECRET_ACCESS_KEY=$(_aws_json SecretAccessKey "$aws_dir/credentials") \
        && AWS_SESSION_TOKEN=$(_aws_json Token "$aws_dir/credentials") \
        || { log "aws: the credentials of role $role are not what IMDS gives"; return 1; }
    expiration=$(_aws_json Expiration "$aws_dir/credentials")
    rm -f "$aws_dir/credentials"
    aws_region=$region
    aws_instance=$instance
    aws_ec2=$(_aws_endpoint ec2) && aws_ssm=$(_aws_endpoint ssm) || return 1
    log "aws: instance $instance in $region, role $role"
    logs_handover "$role" "$expiration" || { log "aws: cannot hand the credentials to the log shipper"; return 1; }

    for f in /run/config/i2kit/volumes/*; do
        [ -f "$f" ] || continue
        disk=""
        { read -r disk || [ -n "$disk" ]; } <"$f"
        case $disk in vol-*) ;; *) continue ;; esac
        _aws_attach "$disk" "/dev/sd$letter" || return 1
        letter=$(echo "$letter" | tr 'f-y' 'g-z')
    done

    if [ -s /run/config/i2kit/secrets ]; then
        app=""
        { read -r app || [ -n "$app" ]; } </run/config/i2kit/application 2>/dev/null
        [ -n "$app" ] || { log "aws: secrets without an application name"; return 1; }
        mkdir -p /run/i2kit/secret-values && chmod 0700 /run/i2kit/secret-values || return 1
        while read -r name version || [ -n "$name" ]; do
            [ -n "$name" ] || continue
            _aws_secret "$app" "$name" "$version" || return 1
        done </run/config/i2kit/secrets
    fi
    rm -rf "$aws_dir"
}

# _aws_imds TOKEN PATH: one IMDSv2 GET (imds_http is the init's).
_aws_imds() {
    imds_http GET "$2" "X-aws-ec2-metadata-token: $1"
}

# _aws_json KEY.PATH FILE: one string or number of a JSON document (json-get.awk).
_aws_json() {
    awk -v want="$1" -f "${i2kit_lib:-/usr/lib/i2kit}/json.awk" -f "${i2kit_lib:-/usr/lib/i2kit}/json-get.awk" "$2"
}

# _aws_endpoint SERVICE: https://SERVICE.REGION.amazonaws.com, or the URL in
# /run/config/i2kit/aws/endpoint-SERVICE (set by tests only: http://IP:PORT or https://NAME).
_aws_endpoint() {
    local url=""
    [ -s "/run/config/i2kit/aws/endpoint-$1" ] && { read -r url || [ -n "$url" ]; } <"/run/config/i2kit/aws/endpoint-$1"
    [ -n "$url" ] || url=https://$1.$aws_region.amazonaws.com
    case $url in
    http://* | https://*) echo "${url%/}" ;;
    *) log "aws: endpoint-$1 must be http://HOST[:PORT] or https://HOST[:PORT], not $url"; return 1 ;;
    esac
}

# _aws_call SERVICE URL CONTENT_TYPE TARGET BODY: a signed POST; the answer's body goes to
# $aws_dir/answer, its HTTP status to stdout. TARGET is X-Amz-Target (empty for none).
_aws_call() {
    printf '%s' "$5" >"$aws_dir/body"
    _aws_send "$1" "$2" "$3" "$4"
}

# _aws_send SERVICE URL CONTENT_TYPE TARGET: _aws_call with the body in $aws_dir/body (logs.sh's
# batches are files, too big for an argument).
_aws_send() {
    local service=$1 url=$2 type=$3 target=$4 scheme host hostport port address status line rest
    scheme=${url%%://*}
    hostport=${url#*://}
    hostport=${hostport%%/*}
    host=${hostport%:*}
    port=${hostport##*:}
    [ "$port" != "$hostport" ] || { [ "$scheme" = https ] && port=443 || port=80; }
    {
        printf 'Host:%s\n' "$hostport"
        printf 'Content-Type:%s\n' "$type"
        printf 'X-Amz-Date:%s\n' "$(date -u +%Y%m%dT%H%M%SZ)"
        [ -z "$target" ] || printf 'X-Amz-Target:%s\n' "$target"
    } >"$aws_dir/headers"
    sigv4_sign "$aws_dir" "$aws_region" "$service" POST / "" "$aws_dir/headers" "$aws_dir/body" >/dev/null || return 1
    {
        printf 'POST / HTTP/1.0\r\n'
        sed 's/$/\r/' "$aws_dir/send"
        printf 'Content-Length: %s\r\nConnection: close\r\n\r\n' "$(wc -c <"$aws_dir/body")"
        cat "$aws_dir/body"
    } >"$aws_dir/request"
    rm -f "$aws_dir/send" "$aws_dir/creq" "$aws_dir/sts"
    address=$(_aws_resolve "$host") || { log "aws: cannot resolve $host"; return 1; }
    if [ "$scheme" = https ]; then
        tls_host=$host tls_request=$aws_dir/request tls_response=$aws_dir/response \
            timeout 30 nc -w 10 "$address" "$port" -e "${i2kit_lib:-/usr/lib/i2kit}/tls-pipe" 2>"$aws_dir/error"
    else
        timeout 30 nc -w 10 "$address" "$port" <"$aws_dir/request" >"$aws_dir/response" 2>"$aws_dir/error"
    fi
    rm -f "$aws_dir/request"
    read -r line status rest <"$aws_dir/response" 2>/dev/null
    if [ -z "$status" ]; then
        log "aws: no answer from $url: $(head -c 200 "$aws_dir/error")"
        status=000
    fi
    sed '1,/^\r\{0,1\}$/d' "$aws_dir/response" >"$aws_dir/answer"
    rm -f "$aws_dir/response" "$aws_dir/error"
    echo "$status"
}

# _aws_resolve HOST: an IPv4 address (HOST itself when it is one), from busybox's own resolver.
_aws_resolve() {
    case $1 in
    *[!0-9.]*) ;;
    *) echo "$1"; return 0 ;;
    esac
    nslookup -type=a "$1" 2>/dev/null | awk '
        /^Name:/ { named = 1; next }
        named && /^Address:/ { sub(/^Address:[ \t]*/, ""); sub(/#.*/, ""); print; found = 1; exit }
        END { exit !found }'
}

# _aws_error: the error code of an EC2 or SSM error answer (XML <Code> or JSON __type).
_aws_error() {
    local code
    code=$(sed -n 's:.*<Code>\([^<]*\)</Code>.*:\1:p' "$aws_dir/answer" | head -n 1)
    [ -n "$code" ] || code=$(_aws_json __type "$aws_dir/answer" 2>/dev/null)
    echo "${code:-unknown}"
}

# _aws_attach VOLUME DEVICE: attaches the volume to this instance (unless it is already) and waits
# for its disk: Nitro shows an EBS volume as NVMe with serial "vol" and the id's hex digits. While
# the instance it replaces still holds it (VolumeInUse), tries again every 5 s for 10 minutes.
_aws_attach() {
    local volume=$1 device=$2 tries=120 status code serial waited=0
    serial=$(echo "$volume" | tr -d -)
    # always through the API, even when a disk with that serial is there (a reboot of this instance):
    # only EC2 knows to which instance the volume is attached
    while :; do
        status=$(_aws_call ec2 "$aws_ec2" "application/x-www-form-urlencoded; charset=utf-8" "" \
            "Action=AttachVolume&Device=$(echo "$device" | sed 's:/:%2F:g')&InstanceId=$aws_instance&Version=2016-11-15&VolumeId=$volume")
        if [ "$status" = 200 ]; then
            log "aws: attached $volume as $device"
            break
        fi
        code=$(_aws_error)
        if _aws_attached_here "$volume"; then
            log "aws: $volume is attached already"
            break
        fi
        tries=$((tries - 1))
        if [ $tries -le 0 ] || { [ "$code" != VolumeInUse ] && [ "$code" != IncorrectState ] && [ "$status" != 000 ]; }; then
            log "aws: cannot attach $volume: HTTP $status $code"
            return 1
        fi
        [ $tries = 119 ] && log "aws: $volume is in use ($code), trying again every 5 s"
        sleep 5
    done
    while ! _aws_disk "$serial" >/dev/null; do
        waited=$((waited + 1))
        [ $waited -le 240 ] || { log "aws: the disk of $volume (serial $serial) did not appear in 120 s"; return 1; }
        sleep 0.5
    done
    log "aws: $volume is $(_aws_disk "$serial")"
}

# _aws_disk SERIAL: the block device whose serial (NVMe or virtio) is SERIAL.
_aws_disk() {
    local f value
    for f in /sys/block/*/device/serial /sys/block/*/serial; do
        [ -r "$f" ] && read -r value <"$f" 2>/dev/null || continue
        [ "$value" = "$1" ] || continue
        f=${f#/sys/block/}
        echo "/dev/${f%%/*}"
        return 0
    done
    return 1
}

# _aws_attached_here VOLUME: whether DescribeVolumes says the volume is attached to this instance.
_aws_attached_here() {
    local status
    status=$(_aws_call ec2 "$aws_ec2" "application/x-www-form-urlencoded; charset=utf-8" "" \
        "Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=$1")
    [ "$status" = 200 ] || return 1
    tr -d '\r\n' <"$aws_dir/answer" | grep -q "<instanceId>$aws_instance</instanceId>"
}

# _aws_secret APP NAME VERSION: SSM parameter /i2kit/APP/NAME at VERSION, decrypted, into
# /run/i2kit/secret-values/NAME (0400).
_aws_secret() {
    local app=$1 name=$2 version=$3 status selector="" out=/run/i2kit/secret-values/$2 got
    [ -z "$version" ] || selector=":$version"
    status=$(_aws_call ssm "$aws_ssm" application/x-amz-json-1.1 AmazonSSM.GetParameter \
        "{\"Name\":\"/i2kit/$app/$name$selector\",\"WithDecryption\":true}")
    if [ "$status" != 200 ]; then
        log "aws: cannot read secret $name (version $version): HTTP $status $(_aws_error)"
        return 1
    fi
    rm -f "$out"
    _aws_json Parameter.Value "$aws_dir/answer" >"$out" || { log "aws: no value in the answer for secret $name"; return 1; }
    chmod 0400 "$out"
    got=$(_aws_json Parameter.Version "$aws_dir/answer")
    rm -f "$aws_dir/answer"
    log "aws: read secret $name (version ${got:-$version})"
}
