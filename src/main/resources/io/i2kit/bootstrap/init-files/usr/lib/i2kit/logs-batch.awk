# One PutLogEvents batch of one stream, from the files the shipper claimed for it (logs.sh).
#
#   awk -v group=G -v stream=S -v boot=EPOCH -v limit=BYTES -v bound=BYTES -v out=DIR -f logs-batch.awk FILE...
#
# FILEs are the stream's claimed spool files, oldest first, holding "SECONDS LINE" (containers,
# logs-spool.awk) or "+UPTIME LINE" (the init's log(); boot is the epoch at uptime 0). Writes the
# request body to out/body and tells the shell, one per line:
#   drop FILE LINES   more than bound bytes are waiting: the oldest files go (now, sent or not)
#   done FILE         wholly in the batch: delete once it is sent
#   rest FILE         the batch ends inside FILE: out/rest holds what is left of it, to replace it
#                     once the batch is sent
#   events N          how many events the batch holds (0: nothing to send)
# A batch stays within CloudWatch's limits: at most limit bytes counted as CloudWatch counts them
# (each message's bytes + 26), 10,000 events, 23 hours from first to last; timestamps (ms) never go
# back within it. Messages are made valid JSON strings of valid UTF-8 (a byte that is not is sent
# as U+FFFD); empty lines are left out (CloudWatch refuses an empty message).

BEGIN {
    for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
    n = ARGC - 1
    total = 0
    for (i = 1; i <= n; i++) {
        size[i] = 0
        lines[i] = 0
        while ((got = getline line < ARGV[i]) > 0) {
            size[i] += length(line) + 1
            lines[i]++
        }
        close(ARGV[i])
        total += size[i]
    }
    first = 1
    # the oldest files go while the rest still exceeds the bound; the newest always stays
    while (first < n && total > bound) {
        print "drop", ARGV[first], lines[first]
        total -= size[first]
        first++
    }
    body = out "/body"
    printf "{\"logGroupName\":\"%s\",\"logStreamName\":\"%s\",\"logEvents\":[", group, stream > body
    events = 0
    bytes = 0
    last = 0
    start = -1
    full = 0
    for (i = first; i <= n && !full; i++) {
        taken = 0
        while ((getline line < ARGV[i]) > 0) {
            taken++
            space = index(line, " ")
            if (space == 0) continue
            stamp = substr(line, 1, space - 1)
            message = substr(line, space + 1)
            if (message == "") continue
            ms = substr(stamp, 1, 1) == "+" ? int((boot + substr(stamp, 2)) * 1000) : int(stamp * 1000)
            if (ms < last) ms = last
            if (start < 0) start = ms
            if (events > 0 && (events >= 10000 || bytes + length(message) + 26 > limit || ms - start > 82800000)) {
                full = 1
                break
            }
            printf "%s{\"timestamp\":%.0f,\"message\":\"%s\"}", (events > 0 ? "," : ""), ms, escape(message) > body
            events++
            bytes += length(message) + 26
            last = ms
        }
        if (full) {
            # what is left of this file, from the line that did not fit
            printf "%s\n", line > (out "/rest")
            while ((getline line < ARGV[i]) > 0) printf "%s\n", line > (out "/rest")
            close(out "/rest")
            print "rest", ARGV[i]
        } else {
            print "done", ARGV[i]
        }
        close(ARGV[i])
    }
    printf "]}" > body
    close(body)
    print "events", events
    exit 0
}

# The inside of a JSON string for s: printable ASCII as it is (quote and backslash escaped),
# control bytes as \u00XX, valid UTF-8 sequences as they are, every other byte U+FFFD.
function escape(s,    out, i, c, b, len, need, j, ok) {
    if (s !~ /[^ -~]/) {
        gsub(/\\/, "\\\\", s)
        gsub(/"/, "\\\"", s)
        return s
    }
    out = ""
    len = length(s)
    for (i = 1; i <= len; i++) {
        c = substr(s, i, 1)
        b = ord[c]
        if (c == "\"") out = out "\\\""
        else if (c == "\\") out = out "\\\\"
        else if (b < 32 || b == 127) out = out sprintf("\\u%04x", b)
        else if (b < 128) out = out c
        else {
            need = b >= 194 && b <= 223 ? 1 : b >= 224 && b <= 239 ? 2 : b >= 240 && b <= 244 ? 3 : 0
            ok = need > 0 && i + need <= len
            for (j = 1; ok && j <= need; j++) {
                if (ord[substr(s, i + j, 1)] < 128 || ord[substr(s, i + j, 1)] > 191) ok = 0
            }
            # overlong three- and four-byte forms, UTF-16 surrogates, beyond U+10FFFF
            if (ok && need == 2 && b == 224 && ord[substr(s, i + 1, 1)] < 160) ok = 0
            if (ok && need == 2 && b == 237 && ord[substr(s, i + 1, 1)] > 159) ok = 0
            if (ok && need == 3 && b == 240 && ord[substr(s, i + 1, 1)] < 144) ok = 0
            if (ok && need == 3 && b == 244 && ord[substr(s, i + 1, 1)] > 143) ok = 0
            if (ok) {
                out = out substr(s, i, need + 1)
                i += need
            } else out = out "\\ufffd"
        }
    }
    return out
}
