# A container's output on its way out of the VM (logs.sh): every line goes to the console with the
# container's label, as always, and, when the VM ships its logs, is also appended to the container's
# spool file on the /run tmpfs, which the shipper claims (renames) every few seconds.
#
#   runtime run ... 2>&1 | awk -v prefix="[web] " -v spool=/run/i2kit/logs/spool/web -v cap=1048576 -f logs-spool.awk
#
# The container's path never waits on the network or the shipper: a write to a tmpfs, nothing else.
# The file is opened, appended to and closed for each line, so that once the shipper has renamed it
# the next line starts a new one. Spool lines are "SECONDS LINE" (the epoch; a line is cut at 64 KiB).
#
# cap bounds a file the shipper never claims (a shipper that is stuck): past cap bytes the newest
# lines are not spooled, and once a new file starts (claimed) or the container ends, their count
# goes to SPOOL.dropped for the shipper to report. While CloudWatch is only unreachable the shipper keeps
# claiming, and bounds what it holds by dropping the oldest lines (logs-batch.awk).

function report() {
    print dropped >> (spool ".dropped")
    close(spool ".dropped")
    dropped = 0
}

function claimed(    x, got) {
    got = (getline x < spool)
    close(spool)
    return got <= 0
}

{
    print prefix $0
    fflush()
    if (since >= cap) {
        if (!claimed()) {
            dropped++
            next
        }
        since = 0
    }
    if (dropped > 0) report()
    line = length($0) > 65536 ? substr($0, 1, 65536) : $0
    print systime(), line >> spool
    close(spool)
    since += length(line) + 12
}

# the container has ended (or is restarting): a new awk starts its count afresh
END {
    if (dropped > 0) report()
}
