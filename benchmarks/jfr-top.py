#!/usr/bin/env python3
"""Top frames of a JFR recording (issue 7 profiles): self and inclusive time of jdk.ExecutionSample, where native
methods wait (jdk.NativeMethodSample) and the allocation sites weighted by jdk.ObjectAllocationSample.

usage: benchmarks/jfr-top.py RECORDING.jfr [N]     (N: rows per table, default 20; needs `jfr` of the JDK on PATH)
Record with: java -XX:StartFlightRecording=duration=30s,filename=/tmp/ws.jfr,settings=profile -cp ... EchoServer ...
"""
import collections
import json
import subprocess
import sys


def events(path, name):
    out = subprocess.run(['jfr', 'print', '--json', '--events', name, path], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)['recording']['events']


def frame(f):
    m = f['method']
    return m['type']['name'].split('/')[-1] + '.' + m['name']


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    samples = [e for e in events(path, 'jdk.ExecutionSample') if e['values']['stackTrace']]
    own, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
    for e in samples:
        frames = e['values']['stackTrace']['frames']
        threads[e['values']['sampledThread']['javaName']] += 1
        own[frame(frames[0])] += 1
        for name in {frame(f) for f in frames}:
            incl[name] += 1
    n = max(1, len(samples))
    print(f'{len(samples)} Java execution samples; by thread: {dict(threads.most_common(4))}')
    print('self time:')
    for k, c in own.most_common(top):
        print(f'  {100 * c / n:5.1f} %  {k}')
    print('inclusive:')
    for k, c in incl.most_common(top):
        print(f'  {100 * c / n:5.1f} %  {k}')
    natives = [e for e in events(path, 'jdk.NativeMethodSample') if e['values']['stackTrace']]
    nat = collections.Counter(frame(e['values']['stackTrace']['frames'][0]) for e in natives)
    print(f'{len(natives)} native-method samples (threads blocked or in a system call):')
    for k, c in nat.most_common(5):
        print(f'  {100 * c / max(1, len(natives)):5.1f} %  {k}')
    sites, total = collections.Counter(), 0
    for e in events(path, 'jdk.ObjectAllocationSample'):
        v = e['values']
        fs = v['stackTrace']['frames'] if v['stackTrace'] else []
        sites[(v['objectClass']['name'], ' < '.join(frame(f) for f in fs[:3]))] += v['weight']
        total += v['weight']
    print(f'allocation (sampled weight {total / 1e6:.0f} MB):')
    for (cls, where), w in sites.most_common(top // 2):
        print(f'  {100 * w / max(1, total):5.1f} %  {cls}  @ {where}')


if __name__ == '__main__':
    main()
