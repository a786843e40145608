# Reads a metadata payload in LinuxKit's JSON format and lays it out as files, as LinuxKit's
# metadata package does: every key whose value has "content" becomes a file, every key whose value
# has "entries" becomes a directory holding its entries, "perm" (octal) sets the mode.
#
#   busybox awk -v base=/run/config -v tmp=/run/i2kit/metadata.tmp -f json.awk -f metadata.awk payload.json
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
