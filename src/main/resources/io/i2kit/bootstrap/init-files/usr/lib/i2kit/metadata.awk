# Reads a metadata payload in LinuxKit's JSON format and lays it out as files, as LinuxKit's
# metadata package does: every key whose value has "content" becomes a file, every key whose value
# has "entries" becomes a directory holding its entries, "perm" (octal) sets the mode.
#
#   busybox awk -v base=/run/config -v tmp=/run/i2kit/metadata.tmp -f metadata.awk payload.json
#
# awk cannot make directories or set modes, so it writes each file's content to tmp/N and prints
# one line per directory and file, parents first, for the caller to apply:
#   dir PERM PATH
#   file PERM TMPFILE PATH
# Problems go to stderr as "i2kit: metadata: ..."; the exit status is 1 when the payload is not
# JSON at all (the caller then keeps it only as /run/config/userdata, as LinuxKit does).
#
# Strings may use every JSON escape; \uXXXX (with surrogate pairs) is written as UTF-8. Names that
# could leave base (empty, ".", "..", containing "/" or control characters) are refused.

function fail(msg) {
    if (error == "") error = msg " at byte " pos
    return "error"
}

function skip_space(    c) {
    while (pos <= len) {
        c = substr(text, pos, 1)
        if (c != " " && c != "\t" && c != "\n" && c != "\r") return
        pos++
    }
}

function hex_value(h,    i, v, d) {
    v = 0
    for (i = 1; i <= 4; i++) {
        d = index("0123456789abcdef", tolower(substr(h, i, 1)))
        if (d == 0) return -1
        v = v * 16 + d - 1
    }
    return v
}

function utf8(code) {
    if (code < 128) return sprintf("%c", code)
    if (code < 2048) return sprintf("%c%c", 192 + int(code / 64), 128 + code % 64)
    if (code < 65536)
        return sprintf("%c%c%c", 224 + int(code / 4096), 128 + int(code / 64) % 64, 128 + code % 64)
    return sprintf("%c%c%c%c", 240 + int(code / 262144), 128 + int(code / 4096) % 64,
                   128 + int(code / 64) % 64, 128 + code % 64)
}

# Parses the string starting at pos (on its opening quote) into the global string_value.
function parse_string(    out, c, code, low, chunk) {
    pos++
    out = ""
    while (pos <= len) {
        # copy a run of plain characters at once
        if (match(substr(text, pos, 256), /^[^"\\]+/)) {
            chunk = substr(text, pos, RLENGTH)
            if (chunk ~ /[\001-\037]/) return fail("control character in a string")
            out = out chunk
            pos += RLENGTH
            continue
        }
        c = substr(text, pos, 1)
        if (c == "\"") {
            pos++
            string_value = out
            return "string"
        }
        # a backslash escape
        c = substr(text, pos + 1, 1)
        pos += 2
        if (c == "n") out = out "\n"
        else if (c == "t") out = out "\t"
        else if (c == "r") out = out "\r"
        else if (c == "b") out = out "\b"
        else if (c == "f") out = out "\f"
        else if (c == "\"" || c == "\\" || c == "/") out = out c
        else if (c == "u") {
            code = hex_value(substr(text, pos, 4))
            if (code < 0) return fail("bad \\u escape")
            pos += 4
            if (code >= 55296 && code < 56320 && substr(text, pos, 2) == "\\u") {
                low = hex_value(substr(text, pos + 2, 4))
                if (low >= 56320 && low < 57344) {
                    code = 65536 + (code - 55296) * 1024 + (low - 56320)
                    pos += 6
                }
            }
            if (code == 0) return fail("\\u0000 cannot be written to a file")
            out = out utf8(code)
        } else return fail("bad escape \\" c)
    }
    return fail("unterminated string")
}

# Parses the value at pos and records it under path: kind[path] is object, string or other;
# for a string, value[path]; for an object, count[path] and key[path, i].
function parse_value(path, depth,    c, k, n, t) {
    if (depth > 32) return fail("nesting deeper than 32")
    skip_space()
    c = substr(text, pos, 1)
    if (c == "\"") {
        t = parse_string()
        if (t == "error") return t
        kind[path] = "string"
        value[path] = string_value
        return "string"
    }
    if (c == "{") {
        pos++
        kind[path] = "object"
        n = 0
        skip_space()
        if (substr(text, pos, 1) == "}") { pos++; count[path] = 0; return "object" }
        while (1) {
            skip_space()
            if (substr(text, pos, 1) != "\"") return fail("expected a key")
            if (parse_string() == "error") return "error"
            k = string_value
            skip_space()
            if (substr(text, pos, 1) != ":") return fail("expected ':'")
            pos++
            if (!((path SUBSEP k) in kind)) key[path, ++n] = k
            if (parse_value(path SUBSEP k, depth + 1) == "error") return "error"
            skip_space()
            c = substr(text, pos, 1)
            pos++
            if (c == "}") break
            if (c != ",") return fail("expected ',' or '}'")
        }
        count[path] = n
        return "object"
    }
    if (c == "[") {
        pos++
        kind[path] = "other"
        skip_space()
        if (substr(text, pos, 1) == "]") { pos++; return "other" }
        n = 0
        while (1) {
            if (parse_value(path SUBSEP "[" (++n) "]", depth + 1) == "error") return "error"
            skip_space()
            c = substr(text, pos, 1)
            pos++
            if (c == "]") break
            if (c != ",") return fail("expected ',' or ']'")
        }
        return "other"
    }
    if (match(substr(text, pos, 64), /^(true|false|null|-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/)) {
        pos += RLENGTH
        kind[path] = "other"
        return "other"
    }
    if (c == "") return fail("unexpected end of the payload")
    return fail("unexpected character '" c "'")
}

function warn(msg) {
    printf "i2kit: metadata: %s\n", msg > "/dev/stderr"
}

function valid_name(name) {
    return name != "" && name != "." && name != ".." && name !~ /[\/\001-\037\177]/
}

# Writes the entry recorded under path to target.
function lay_out(path, target,    has_content, has_entries, perm, i, n, name, file) {
    if (kind[path] != "object") { warn(target " is neither a file nor a directory, skipped"); return }
    has_content = (path SUBSEP "content") in kind
    has_entries = (path SUBSEP "entries") in kind
    perm = ""
    if ((path SUBSEP "perm") in kind) {
        perm = value[path SUBSEP "perm"]
        if (kind[path SUBSEP "perm"] != "string" || perm !~ /^[0-7][0-7][0-7][0-7]?$/) {
            warn(target ": perm must be an octal string such as \"0644\", skipped")
            return
        }
    }
    if (has_content && !has_entries) {
        if (kind[path SUBSEP "content"] != "string") { warn(target ": content must be a string, skipped"); return }
        file = tmp "/" (++files)
        printf "%s", value[path SUBSEP "content"] > file
        close(file)
        print "file", (perm == "" ? "0644" : perm), file, target
    } else if (has_entries && !has_content && kind[path SUBSEP "entries"] == "object") {
        print "dir", (perm == "" ? "0755" : perm), target
        path = path SUBSEP "entries"
        n = count[path]
        for (i = 1; i <= n; i++) {
            name = key[path, i]
            if (valid_name(name)) lay_out(path SUBSEP name, target "/" name)
            else warn("entry name \"" name "\" under " target " is not a file name, skipped")
        }
    } else warn(target " needs either content (a file) or entries (a directory), skipped")
}

{ text = text $0 "\n" }

END {
    len = length(text)
    pos = 1
    error = ""
    files = 0
    if (parse_value("", 0) == "error") { warn("payload is not JSON: " error); exit 1 }
    skip_space()
    if (pos <= len) { warn("payload is not JSON: trailing text at byte " pos); exit 1 }
    if (kind[""] != "object") { warn("payload is JSON but not an object; only kept as userdata"); exit 0 }
    for (i = 1; i <= count[""]; i++) {
        name = key["", i]
        if (valid_name(name)) lay_out(SUBSEP name, base "/" name)
        else warn("top-level name \"" name "\" is not a file name, skipped")
    }
}
