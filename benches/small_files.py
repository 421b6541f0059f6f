#!/usr/bin/env python3
"""Directories of small exports for BENCHMARKS.md ("Many small files"): the 100 MB
benchmark file (target/bench/events.ndjson) cut at line ends into files of about
50 KB, plain and gzipped, 2,000 and 20,000 of them. Run in an empty directory."""
import os, gzip, sys
src=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'target', 'bench', 'events.ndjson')
def make(dirname, nfiles, size, gz):
    os.makedirs(dirname, exist_ok=True)
    data=open(src,'rb').read()
    pos=0; n=0
    while n<nfiles:
        end=data.find(b'\n', pos+size)
        if end<0: pos=0; continue
        chunk=data[pos:end+1]; pos=end+1
        name=os.path.join(dirname, f"{n//1000:02d}", f"part-{n:05d}.json"+(".gz" if gz else ""))
        os.makedirs(os.path.dirname(name), exist_ok=True)
        with open(name,'wb') as f: f.write(gzip.compress(chunk,6) if gz else chunk)
        n+=1
make('plain2k', 2000, 50000, False)
make('gz2k', 2000, 50000, True)
make('plain20k', 20000, 50000, False)
make('gz20k', 20000, 50000, True)
