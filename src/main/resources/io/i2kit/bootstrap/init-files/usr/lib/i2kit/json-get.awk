# Prints one value of a JSON document, for aws.sh: a string decoded, a number or literal as written.
#
#   awk -v want=Parameter.Value -f json.awk -f json-get.awk answer.json
#
# want: the keys from the top, joined with "."; no newline is added. Exit status 1 when the text is
# not JSON or has no such string or number (an object or array is not printed).

{ text = text $0 "\n" }

END {
    len = length(text)
    pos = 1
    error = ""
    if (parse_value("", 0) == "error") exit 1
    n = split(want, keys, ".")
    path = ""
    for (i = 1; i <= n; i++) path = path SUBSEP keys[i]
    if (!(path in value)) exit 1
    printf "%s", value[path]
}
