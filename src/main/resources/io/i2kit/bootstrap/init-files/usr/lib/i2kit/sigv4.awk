# The canonical request of AWS Signature Version 4, for sigv4.sh (busybox awk).
#
#   awk -v method=M -v path=P -v query=Q -v hash=H -v signed=FILE -f sigv4.awk HEADERS
#
# HEADERS holds "Name:value" lines, as sent. Prints the canonical request (no final newline) and
# writes the signed header names (";"-joined) and the x-amz-date value to FILE, one per line.
# Headers: names in lower case, values trimmed with inner runs of blanks made one space, sorted by
# name, repeated names joined with "," in their order. Query: each name and value normalised to
# AWS's URI encoding (unreserved characters as they are, every other byte %XX in upper case, an
# existing %XX kept), then sorted by name, then value. Path: encoded the same way, "/" kept. Path
# normalisation ("." and ".." segments) is left out: i2kit signs only "/".

function hexval(c) {
    return index("0123456789abcdef", tolower(c)) - 1
}

# AWS's URI encoding of s; an existing %XX is kept (upper-cased), so encoded input stays the same.
function encode(s, keep_slash,    out, i, c, n) {
    out = ""
    n = length(s)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c ~ /[A-Za-z0-9_.~-]/ || (keep_slash && c == "/")) {
            out = out c
        } else if (c == "%" && substr(s, i + 1, 2) ~ /^[0-9A-Fa-f][0-9A-Fa-f]$/) {
            out = out "%" toupper(substr(s, i + 1, 2))
            i += 2
        } else {
            out = out sprintf("%%%02X", ord[c])
        }
    }
    return out
}

# Whether pair a sorts after pair b: by name, then by value (byte order).
function after(a, b) {
    if (qk[a] != qk[b]) return qk[a] > qk[b]
    return qv[a] > qv[b]
}

BEGIN {
    for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
    nh = 0
}

{
    sub(/\r$/, "")
    colon = index($0, ":")
    if (colon == 0) next
    name = tolower(substr($0, 1, colon - 1))
    value = substr($0, colon + 1)
    gsub(/[ \t]+/, " ", value)
    sub(/^ /, "", value)
    sub(/ $/, "", value)
    if (!(name in hv)) {
        hn[++nh] = name
        hv[name] = value
    } else {
        hv[name] = hv[name] "," value
    }
}

END {
    # insertion sort: a request has a handful of headers and parameters
    for (i = 2; i <= nh; i++) {
        x = hn[i]
        for (j = i - 1; j >= 1 && hn[j] > x; j--) hn[j + 1] = hn[j]
        hn[j + 1] = x
    }
    nq = 0
    if (query != "") {
        np = split(query, parts, "&")
        for (i = 1; i <= np; i++) {
            eq = index(parts[i], "=")
            nq++
            if (eq == 0) {
                qk[nq] = encode(parts[i], 0)
                qv[nq] = ""
            } else {
                qk[nq] = encode(substr(parts[i], 1, eq - 1), 0)
                qv[nq] = encode(substr(parts[i], eq + 1), 0)
            }
            order[nq] = nq
        }
        for (i = 2; i <= nq; i++) {
            x = order[i]
            for (j = i - 1; j >= 1 && after(order[j], x); j--) order[j + 1] = order[j]
            order[j + 1] = x
        }
    }
    canonical_query = ""
    for (i = 1; i <= nq; i++) {
        canonical_query = canonical_query (i > 1 ? "&" : "") qk[order[i]] "=" qv[order[i]]
    }
    canonical_path = path == "" ? "/" : encode(path, 1)
    printf "%s\n%s\n%s\n", method, canonical_path, canonical_query
    names = ""
    for (i = 1; i <= nh; i++) {
        printf "%s:%s\n", hn[i], hv[hn[i]]
        names = names (i > 1 ? ";" : "") hn[i]
    }
    printf "\n%s\n%s", names, hash
    print names > signed
    print hv["x-amz-date"] > signed
}
