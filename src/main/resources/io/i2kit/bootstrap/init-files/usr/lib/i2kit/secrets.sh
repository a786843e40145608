# Secrets, sourced by /init (busybox ash). Never prints a value: only names and counts.
#
# Values arrive in /run/i2kit/secret-values/NAME (dir 0700, files 0400): on EC2 aws_prepare reads
# them from SSM; locally the launcher hands them over as fw_cfg opt/i2kit/secrets, a payload in
# LinuxKit's metadata format that metadata.awk lays out. The image only names them:
# /etc/i2kit/secrets/CONTAINER holds "ENV NAME" lines. For each such container, place_secrets
# - copies each value to /run/i2kit/secrets/CONTAINER/NAME (0400, owned by the container's user),
#   which the bundle binds read-only at /run/secrets;
# - puts "ENV=value" into the env of the bundle's config.json (then 0600), JSON-escaped.
# - renders the image's secret templates (render_templates, below) next to those files;
# Then the values' directory goes, and so does the fw_cfg driver: containers never see /run/i2kit
# (their root is their bundle's), /sys/firmware is masked in their config.json, and with the driver
# unloaded not even a privileged container can read fw_cfg again.

secret_values=/run/i2kit/secret-values
i2kit_lib=/usr/lib/i2kit

# secrets_from_fw_cfg: lays the fw_cfg payload out in $secret_values; false when there is none.
secrets_from_fw_cfg() {
    local raw=/sys/firmware/qemu_fw_cfg/by_name/opt/i2kit/secrets/raw kind perm rest path
    [ -d /sys/firmware/qemu_fw_cfg ] || load_module qemu_fw_cfg 2>/dev/null
    [ -f "$raw" ] || return 1
    (
        umask 077
        mkdir -p "$secret_values/.tmp" || exit 1
        # shellcheck disable=SC2046 # the JSON parser is its own file where the image has one
        awk -v base="$secret_values" -v tmp="$secret_values/.tmp" $(metadata_reader) "$raw" \
            >"$secret_values/.files" 2>/dev/null || { log "secrets: the fw_cfg payload is not JSON"; exit 1; }
        # only "file PERM TMPFILE PATH" lines: a payload of names with content
        while read -r kind perm rest; do
            [ "$kind" = file ] || continue
            path=${rest#* }
            mv "${rest%% *}" "$path" && chmod 0400 "$path"
        done <"$secret_values/.files"
        rm -rf "$secret_values/.tmp" "$secret_values/.files"
    )
}

# metadata_reader: awk's -f options for metadata.awk, with the JSON parser (json.awk) when it is
# a file of its own.
metadata_reader() {
    [ -f /usr/lib/i2kit/json.awk ] && echo "-f /usr/lib/i2kit/json.awk"
    echo "-f /usr/lib/i2kit/metadata.awk"
}

# json_escape FILE: the file's bytes as the inside of a JSON string. Every byte but '"', '\' and
# control characters goes as it is; od gives awk the bytes, since awk cannot read a NUL-free but
# otherwise arbitrary file as one record.
json_escape() {
    od -An -v -tu1 "$1" | awk '{
        for (i = 1; i <= NF; i++) {
            c = $i + 0
            if (c == 34) printf "\\\""
            else if (c == 92) printf "\\\\"
            else if (c < 32 || c == 127) printf "\\u%04x", c
            else printf "%c", c
        }
    }'
}

# fill_env CONFIG ENTRIES: puts the entries (one JSON string per line, "ENV=value") first in the
# env array of CONFIG (BundleSpec writes it on one line: "env" : [ ... ]), where the runtime
# reads them. Splices with index and substr: sub() would read '&' and '\' in a value.
fill_env() {
    local config=$1 entries=$2
    (
        umask 077
        awk -v entries="$entries" '
            !done && /^ *"env" : \[/ {
                e = ""
                while ((getline line < entries) > 0) e = e (e == "" ? "" : ", ") line
                i = index($0, "[")
                rest = substr($0, i + 1)
                if (rest ~ /^ *\]/) print substr($0, 1, i) " " e rest
                else print substr($0, 1, i) " " e "," rest
                done = 1
                next
            }
            { print }
            END { if (!done) exit 1 }' "$config" >"$config.tmp" || { rm -f "$config.tmp"; exit 1; }
        chmod 0600 "$config.tmp" && mv "$config.tmp" "$config"
    )
}

# config_id CONFIG KEY: the number after "KEY" : in config.json (the process's uid or gid).
config_id() {
    local line
    while read -r line; do
        case $line in "\"$2\" : "[0-9]*) line=${line#*: }; echo "${line%,}"; return 0 ;; esac
    done <"$1"
    echo 0
}

# Secret templates: an image may carry /etc/i2kit/secret-templates/FILE, text in which {{ENV}}
# stands for the value of the container's secret variable ENV, every byte of it written \xHH: the
# escape that double-quoted strings of redis' configuration (and C-like ones) read back as that
# byte, so no value can end the quotes. The init writes the result to /run/secrets/FILE (0400, the
# container's user). A program that takes a password only from its configuration (redis'
# requirepass) then reads it from a file it includes: no shell in the image to build a command
# line, never in argv, never in the image. Only containers that read secrets get their templates
# rendered; a template naming a variable that is not one of them stops the boot (a server must not
# start without the password it was meant to have).
# render_templates BUNDLE NAMES_FILE DIR UID GID: the templates of the bundle's image into DIR.
render_templates() {
    local bundle=$1 names=$2 dir=$3 uid=$4 gid=$5 container=${1##*/} root=$1/rootfs t file values env name status
    [ -d "$bundle/lower" ] && root=$bundle/lower
    # the image's links would resolve in the VM's root here, not the container's: follow none
    for t in "$root/etc" "$root/etc/i2kit" "$root/etc/i2kit/secret-templates"; do
        [ -d "$t" ] || return 0
        [ -L "$t" ] && { log "secrets: $container: ${t#"$root"} is a link; its templates are not rendered"; return 0; }
    done
    values=$secret_values/.hex-$container
    : >"$values"
    while read -r env name; do
        [ -n "$name" ] || continue
        { printf '%s ' "$env"; od -An -v -tx1 "$secret_values/$name" | tr -d ' \n'; echo; } >>"$values"
    done <"$names"
    for t in "$root"/etc/i2kit/secret-templates/*; do
        [ -f "$t" ] && [ ! -L "$t" ] || continue
        file=${t##*/}
        [ -e "$dir/$file" ] && { log "secrets: $container: template $file has the name of one of its secrets"; return 1; }
        status=0
        ( umask 077; awk -v values="$values" -f "$i2kit_lib/template.awk" "$t" >"$dir/$file" ) || status=$?
        if [ $status != 0 ]; then
            rm -f "$dir/$file"
            log "secrets: $container: template $file names a variable that is not one of the container's secrets"
            return 1
        fi
        chown "$uid:$gid" "$dir/$file" && chmod 0400 "$dir/$file" || return 1
        log "secrets: $container: template $file rendered"
    done
    return 0
}

# place_container_secrets NAMES_FILE: one container's files and environment; false on a missing value.
place_container_secrets() {
    local names=$1 container=${1##*/} bundle config dir uid gid env name entries
    bundle=/containers/services/$container
    config=$bundle/config.json
    [ -f "$config" ] || { log "secrets: no container $container in the image"; return 1; }
    dir=/run/i2kit/secrets/$container
    entries=$secret_values/.env-$container
    uid=$(config_id "$config" uid)
    gid=$(config_id "$config" gid)
    mkdir -p "$dir"
    : >"$entries"
    while read -r env name; do
        [ -n "$name" ] || continue
        if [ ! -f "$secret_values/$name" ]; then
            log "secrets: container $container reads secret $name, which this VM did not receive"
            return 1
        fi
        cp "$secret_values/$name" "$dir/$name" && chown "$uid:$gid" "$dir/$name" && chmod 0400 "$dir/$name" || return 1
        printf '"%s=' "$env" >>"$entries"
        json_escape "$secret_values/$name" >>"$entries"
        printf '"\n' >>"$entries"
    done <"$names"
    render_templates "$bundle" "$names" "$dir" "$uid" "$gid" || return 1
    chown "$uid:$gid" "$dir" && chmod 0500 "$dir"
    fill_env "$config" "$entries" || { log "secrets: cannot fill the environment of $container"; return 1; }
}

place_secrets() {
    local f count=0 names="" containers="" unloaded=""
    ( umask 077; mkdir -p "$secret_values" )
    chmod 0700 "$secret_values"
    secrets_from_fw_cfg
    for f in "$secret_values"/*; do
        [ -f "$f" ] || continue
        count=$((count + 1))
        names="$names${names:+, }${f##*/}"
    done
    [ "$count" = 0 ] || log "secrets: $count read ($names)"
    for f in /etc/i2kit/secrets/*; do
        [ -f "$f" ] || continue
        place_container_secrets "$f" || fatal "secrets: container ${f##*/} cannot get its secrets"
        containers="$containers${containers:+, }${f##*/}"
    done
    rm -rf "$secret_values"
    # the metadata and the secrets are read: nothing needs fw_cfg any more
    rmmod qemu_fw_cfg 2>/dev/null && unloaded=" (fw_cfg driver unloaded)"
    [ -z "$containers" ] || log "secrets: in place for $containers$unloaded"
    return 0
}
