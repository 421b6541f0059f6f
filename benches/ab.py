#!/usr/bin/env python3
"""A/B timing of oktaql binaries, run alternately (ABBA), output to a file.

Usage: benches/ab.py RUNS FILTER FILE BINARY...
Prints, per binary, the median wall time and the median CPU time (user+sys, from wait4).
"""
import os, sys, time, statistics, subprocess
runs=int(sys.argv[1]); filt=sys.argv[2]; file=sys.argv[3]; bins=sys.argv[4:]
res={b:([],[]) for b in bins}
for r in range(runs):
    order = bins if r%2==0 else bins[::-1]
    for b in order:
        with open('/tmp/ab-out.ndjson','wb') as out:
            t=time.perf_counter()
            p=subprocess.Popen([b,filt,file],stdout=out)
            _,status,ru=os.wait4(p.pid,0)
            w=time.perf_counter()-t
        res[b][0].append(w); res[b][1].append(ru.ru_utime+ru.ru_stime)
for b,(w,c) in res.items():
    print(f"{b:24s} wall {statistics.median(w)*1000:7.1f} ms  cpu {statistics.median(c)*1000:7.1f} ms  (n={len(w)})")
