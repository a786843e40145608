#!/usr/bin/env python3
"""Follows an application's VMs through its supervisor's control socket, for bench/local/run.

    watch.py CONTROL_SOCKET OUT.tsv

Asks the supervisor for its status every 100 ms (one {"type":"status"} line per connection, as
`i2kit status` does, without a JVM per poll) until SIGTERM. For each VM it writes one line to
OUT.tsv when it is first seen ready: healthy in its load balancer, or, for a service without a
health check (the worker), once its console shows the init's "i2kit: started" line. Columns:

    id  service  pid  qemu_start  ready  cpu_s  how  started  started_cpu_s

qemu_start is when the QEMU process started (from /proc: its start in clock ticks after boot plus
the boot time), ready when the poll first saw it ready, started when it first saw the console's
"i2kit: started" line (the init started the pod's containers), all in seconds since the epoch;
cpu_s and started_cpu_s are the CPU time (user + system, all threads) QEMU had used by then. A socket that does not
answer yet (the supervisor is starting) is retried.
"""
import json
import os
import signal
import socket
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
with open("/proc/stat") as f:
    BOOT = next(int(line.split()[1]) for line in f if line.startswith("btime "))


def status(path):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(path)
        s.sendall(b'{"type":"status"}\n')
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
            # Whole lines only: the final reply is the one that ends the exchange.
            *lines, rest = data.split(b"\n")
            for line in lines:
                reply = json.loads(line)
                if reply.get("type") == "done":
                    return reply["status"]
                if reply.get("type") == "failed":
                    return None
            data = rest


def proc(pid):
    """(start in seconds since the epoch, CPU seconds used) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # fields[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
    return BOOT + int(fields[19]) / HZ, (int(fields[11]) + int(fields[12])) / HZ


def started(work_dir):
    try:
        with open(os.path.join(work_dir, "console.log"), errors="replace") as f:
            return "i2kit: started" in f.read()
    except OSError:
        return False


def main():
    control, out = sys.argv[1], sys.argv[2]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    seen = set()
    boots = {}  # id -> (when its console said "i2kit: started", QEMU's CPU seconds then)
    with open(out, "a", buffering=1) as tsv:
        while not stop:
            try:
                st = status(control)
            except (OSError, ValueError):
                st = None
            now = time.time()
            for service in (st or {}).get("services", []):
                for r in service.get("running", []):
                    if r["id"] in seen:
                        continue
                    if r["id"] not in boots and started(r["workDir"]):
                        info = proc(r["pid"])
                        if info:
                            boots[r["id"]] = (now, info[1])
                    ready = r["health"] == "healthy"
                    how = "healthy"
                    if not ready and r["health"] == "unknown" and r["id"] in boots:
                        ready, how = True, "console"
                    info = proc(r["pid"]) if ready else None
                    if info:
                        seen.add(r["id"])
                        # A VM seen healthy at the first poll (it ran before): its start is unknown.
                        boot = boots.get(r["id"], (now, info[1]))
                        tsv.write(f'{r["id"]}\t{service["name"]}\t{r["pid"]}\t{info[0]:.2f}\t{now:.2f}\t{info[1]:.2f}'
                                  f'\t{how}\t{boot[0]:.2f}\t{boot[1]:.2f}\n')
            time.sleep(0.1)


if __name__ == "__main__":
    main()
