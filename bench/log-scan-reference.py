#!/usr/bin/env python3
# The line-by-line reference of the log-scan issue: "Failed password" in line, first a.b.c.d on it.
import re
import sys

IP = re.compile(r"\d+\.\d+\.\d+\.\d+")
ips = set()
with open(sys.argv[1], "r", errors="replace") as f:
    for line in f:
        if "Failed password" in line:
            m = IP.search(line)
            if m:
                ips.add(m.group(0))
print(len(ips))
