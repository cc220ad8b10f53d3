"""Prints A against B from a Google Benchmark JSON of scripts/ab (names with activ_a / activ_b)."""
import json,sys,statistics as st
d=json.load(open(sys.argv[1]))
runs={}
for b in d['benchmarks']:
    if b.get('run_type')=='iteration':
        # Wall time for the rows that ask for it (UseRealTime, UseManualTime: the threaded calls,
        # whose calling thread waits), the calling thread's CPU time otherwise.
        wall=b['run_name'].endswith(('/real_time','/manual_time'))
        runs.setdefault(b['run_name'],[]).append(b['real_time' if wall else 'cpu_time'])
keys=sorted(set(k.replace('activ_a','V').replace('activ_b','V') for k in runs))
for k in keys:
    a=sorted(runs[k.replace('V','activ_a')]); b=sorted(runs[k.replace('V','activ_b')])
    print(f"{k:32s} A min {a[0]:9.0f} med {st.median(a):9.0f} | B min {b[0]:9.0f} med {st.median(b):9.0f} | B/A min {b[0]/a[0]:.2f} med {st.median(b)/st.median(a):.2f}")
