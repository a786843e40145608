# AWS Signature Version 4 in busybox sh, awk, sha256sum and xxd: the init signs its few EC2 and
# SSM requests with it, so the image needs no AWS CLI, curl or other binary. Sourced by aws.sh.
#
#   sigv4_sign DIR REGION SERVICE METHOD PATH QUERY HEADERS BODY
#
# HEADERS: a file of "Name:value" lines to send, with Host and X-Amz-Date among them. BODY: a file
# with the payload (empty for none). Credentials come from the shell variables AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (temporary credentials; may be empty); the session
# token is added to the signed headers as X-Amz-Security-Token unless HEADERS has it. Writes into
# DIR (which the caller keeps 0700): creq (the canonical request), sts (the string to sign) and
# send (every header to send: HEADERS, the token, Authorization). Prints the Authorization value.
#
# The secret key and every key derived from it reach sha256sum, xxd and awk only through pipes,
# never in a process's arguments (/proc/PID/cmdline is readable by every process of the VM).
#
# Tested against AWS's Signature Version 4 test suite and the AWS SDK for Java's signer
# (SigV4SignerIT, under the host's busybox, with i2kit_lib set to this directory).

i2kit_lib=${i2kit_lib:-/usr/lib/i2kit}

# _sigv4_block BYTE: reads a key in hex (at most 64 bytes) on stdin and writes the 64-byte HMAC
# block, the key padded with zeros and XORed with BYTE (54: ipad, 92: opad), as raw bytes.
_sigv4_block() {
    awk -v x="$1" '
        { key = key $0 }
        END {
            digits = "0123456789abcdef"
            out = ""
            for (i = 1; i <= 128; i += 2) {
                b = 0
                if (i < length(key)) {
                    b = (index(digits, substr(key, i, 1)) - 1) * 16 + index(digits, substr(key, i + 1, 1)) - 1
                }
                out = out sprintf("%02x", xor(b, x))
            }
            print out
        }' | xxd -r -p
}

# _sigv4_hmac KEYHEX: HMAC-SHA256 (RFC 2104) of stdin with the key given in hex; prints it in hex.
# H((K ^ opad) || H((K ^ ipad) || message)), each H a sha256sum pass.
_sigv4_hmac() {
    local key=$1 inner outer
    inner=$({ printf '%s\n' "$key" | _sigv4_block 54; cat; } | sha256sum) || return 1
    outer=$({ printf '%s\n' "$key" | _sigv4_block 92; printf '%s\n' "${inner%% *}" | xxd -r -p; } | sha256sum) || return 1
    echo "${outer%% *}"
}

sigv4_sign() {
    local dir=$1 region=$2 service=$3 method=$4 path=$5 query=$6 headers=$7 body=$8
    local hash signed amz_date day scope key signature line
    hash=$(sha256sum <"$body") || return 1
    cp "$headers" "$dir/signed-headers" || return 1
    if [ -n "$AWS_SESSION_TOKEN" ] && ! grep -qi '^x-amz-security-token:' "$headers"; then
        printf 'X-Amz-Security-Token:%s\n' "$AWS_SESSION_TOKEN" >>"$dir/signed-headers"
    fi
    awk -v method="$method" -v path="$path" -v query="$query" -v hash="${hash%% *}" \
        -v signed="$dir/signed" -f "$i2kit_lib/sigv4.awk" "$dir/signed-headers" >"$dir/creq" || return 1
    { read -r signed; read -r amz_date; } <"$dir/signed"
    [ -n "$amz_date" ] || { echo "sigv4: no X-Amz-Date header" >&2; return 1; }
    day=${amz_date%%T*}
    scope=$day/$region/$service/aws4_request
    hash=$(sha256sum <"$dir/creq") || return 1
    printf 'AWS4-HMAC-SHA256\n%s\n%s\n%s' "$amz_date" "$scope" "${hash%% *}" >"$dir/sts"
    key=$(printf '%s' "AWS4$AWS_SECRET_ACCESS_KEY" | xxd -p | tr -d '\n') || return 1
    for line in "$day" "$region" "$service" aws4_request; do
        key=$(printf '%s' "$line" | _sigv4_hmac "$key") || return 1
    done
    signature=$(_sigv4_hmac "$key" <"$dir/sts") || return 1
    line="AWS4-HMAC-SHA256 Credential=$AWS_ACCESS_KEY_ID/$scope, SignedHeaders=$signed, Signature=$signature"
    { cat "$dir/signed-headers"; printf 'Authorization:%s\n' "$line"; } >"$dir/send"
    rm -f "$dir/signed-headers" "$dir/signed"
    echo "$line"
}
