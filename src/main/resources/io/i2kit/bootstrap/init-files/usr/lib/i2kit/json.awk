# A JSON reader for busybox awk, shared by metadata.awk (the boot metadata) and json-get.awk (AWS's
# answers). Load it first: awk -f json.awk -f metadata.awk ...
#
# The caller sets text (the whole document), len and pos (1), then calls parse_value("", 0): it
# returns "error" (with the reason in error) or the kind of the top value, and records every value
# under its path (the keys from the top, each after a SUBSEP; array items as "[N]"): kind[path] is
# object, string or other (arrays, numbers, true, false, null); value[path] the string, decoded, or
# a number's or literal's text; count[path] and key[path, i] list an object's keys in order.
#
# Strings may use every JSON escape; \uXXXX (with surrogate pairs) is decoded to UTF-8; \u0000 is
# refused (a file cannot hold it, nor can an awk string). Nesting is limited to 32 levels.

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
        kind[path] = "other"
        value[path] = substr(text, pos, RLENGTH)
        pos += RLENGTH
        return "other"
    }
    if (c == "") return fail("unexpected end of the text")
    return fail("unexpected character '" c "'")
}

