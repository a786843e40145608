# A secret template (secrets.sh, render_templates): the text as it is, each {{ENV}} replaced by the
# value of the secret variable ENV, each byte written \xHH. -v values=FILE: "ENV HEX" lines, HEX the
# value's bytes in hex (od). Exits 3 when the text names a variable FILE does not have. "{{" not
# followed by a name and "}}" stays as it is.
BEGIN {
    while ((getline line < values) > 0) {
        i = index(line, " ")
        hex = substr(line, i + 1)
        escaped = ""
        for (j = 1; j < length(hex); j += 2) escaped = escaped "\\x" substr(hex, j, 2)
        value[substr(line, 1, i - 1)] = escaped
    }
    close(values)
}
{
    out = ""
    rest = $0
    while ((i = index(rest, "{{")) > 0) {
        j = index(substr(rest, i + 2), "}}")
        key = j > 0 ? substr(rest, i + 2, j - 1) : ""
        if (key !~ /^[A-Za-z_][A-Za-z0-9_]*$/) {
            out = out substr(rest, 1, i + 1)
            rest = substr(rest, i + 2)
            continue
        }
        if (!(key in value)) {
            exit 3
        }
        out = out substr(rest, 1, i - 1) value[key]
        rest = substr(rest, i + j + 3)
    }
    print out rest
}
