#!/usr/bin/env python3
"""
Interleaved A/B of what a cold process pays (docs/speed.md, "Cold CLI margin"): two built packages
(A: main's build, B: this one) run the bench's cold commands on the same ledger file, alternating
A B / B A pair by pair, so load from other work on the machine falls on both sides alike.

Per run: wall (spawn to exit), CPU (user + sys of the child, from wait4, microseconds: GNU time
prints hundredths), peak RSS (wait4's maxrss); for the server, spawn to the first 200 of GET
table 3, CPU of its threads to then (/proc/<pid>/task/*/schedstat, ns) and RSS after it. The
1-minute load is printed beside every figure. Python because node cannot wait4 a child.

  python3 scripts/bench-cold-ab.py --a /path/to/A --b . --db FILE [--pairs 5] [--what table,indicators,version,server] [--as-of 2021-11-24]
"""
import argparse, json, os, statistics, subprocess, time, urllib.request

AS_OF = '2021-11-24T14:24:00.000Z'  # scripts/bench/measures/cold-cli.ts LATE_IN_YEAR
UNIT, YEAR = '990001', '2021'
TOKEN = 'bench-dashboard-token-0123456789abcdef'  # scripts/bench/ledger-file.ts TOKENS.read
TOKENS = json.dumps([{'token': TOKEN, 'name': 'bench-dashboard', 'role': 'dashboard'}])

def load() -> float:
    return os.getloadavg()[0]

def cli_args(what: str, db: str, as_of: str) -> list:
    if what == 'version':
        return ['--version']
    cmd = ['table', '3'] if what == 'table' else ['indicators']
    return ['--db', db, *cmd, '--unit', UNIT, '--year', YEAR, '--as-of', as_of, '--format', 'json']

def run_cli(root: str, what: str, db: str, as_of: str = AS_OF) -> dict:
    t0 = time.perf_counter()
    p = subprocess.Popen(['node', os.path.join(root, 'dist', 'budget-ledger.js'), *cli_args(what, db, as_of)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise SystemExit(f'{root} {what} exited {p.returncode}: {err[:400]!r}')
    if what != 'version':
        json.loads(out)  # an answer, not an error page
    return {'wall': wall * 1000, 'cpu': (ru.ru_utime + ru.ru_stime) * 1000, 'rss': ru.ru_maxrss / 1024, 'out': out}

def task_cpu_ms(pid: int) -> float:
    total = 0
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{t}/schedstat') as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e6

def rss_mb(pid: int) -> float:
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0

def run_server(root: str, db: str, users: str) -> dict:
    env = {**os.environ, 'LEDGER_DB': db, 'LEDGER_TOKENS': TOKENS, 'LEDGER_USERS_FILE': users, 'PORT': '0', 'LOG_LEVEL': 'warn'}
    t0 = time.perf_counter()
    p = subprocess.Popen(['node', os.path.join(root, 'dist', 'server.js')], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=os.path.dirname(users))
    try:
        url = None
        while url is None:
            line = p.stdout.readline().decode()
            if not line:
                raise SystemExit(f'{root} server exited before listening')
            if 'listening on ' in line:
                url = line.split('listening on ')[1].split()[0]
        req = urllib.request.Request(f'{url}/api/units/{UNIT}/years/{YEAR}/tables/3', headers={'authorization': f'Bearer {TOKEN}'})
        with urllib.request.urlopen(req) as r:
            body = r.read()
            if r.status != 200:
                raise SystemExit(f'first GET answered {r.status}')
        wall = time.perf_counter() - t0
        return {'wall': wall * 1000, 'cpu': task_cpu_ms(p.pid), 'rss': rss_mb(p.pid), 'out': body}
    finally:
        p.terminate()
        p.wait()

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--a', required=True)
    ap.add_argument('--b', required=True)
    ap.add_argument('--db', required=True)
    ap.add_argument('--pairs', type=int, default=5)
    ap.add_argument('--what', default='table,indicators,version,server')
    ap.add_argument('--as-of', default=AS_OF, help="the instant of table and indicators (the bench's by default; a bare date is read in Asia/Shanghai)")
    a = ap.parse_args()
    users = os.path.join(os.path.dirname(os.path.abspath(a.db)), 'users.json')
    if not os.path.exists(users):
        with open(users, 'w') as f:
            f.write('[]\n')
    sides = {'A': os.path.abspath(a.a), 'B': os.path.abspath(a.b)}
    whats = a.what.split(',')
    figures = {(w, s): [] for w in whats for s in sides}
    # One untimed run of each side first: writes each bundle's code cache, as the bench's first run does.
    for s, root in sides.items():
        for w in whats:
            if w != 'server':
                run_cli(root, w, a.db, a.as_of)
    for i in range(a.pairs):
        for w in whats:
            order = ['A', 'B'] if i % 2 == 0 else ['B', 'A']
            outs = {}
            for s in order:
                r = run_server(sides[s], a.db, users) if w == 'server' else run_cli(sides[s], w, a.db, a.as_of)
                outs[s] = r.pop('out')
                figures[(w, s)].append(r)
                print(f'pair {i + 1} {w:10} {s}: wall {r["wall"]:7.1f} ms  cpu {r["cpu"]:6.1f} ms  rss {r["rss"]:5.1f} MB  load {load():.2f}', flush=True)
            if w != 'version' and w != 'server' and outs['A'] != outs['B']:
                print(f'  ! {w}: the answers differ')
    print(f'\nmedians of {a.pairs} pairs (B / A), as of {a.as_of}, load now {load():.2f}')
    for w in whats:
        row = []
        for k in ('wall', 'cpu', 'rss'):
            ma = statistics.median(r[k] for r in figures[(w, 'A')])
            mb = statistics.median(r[k] for r in figures[(w, 'B')])
            row.append(f'{k} {ma:6.1f} -> {mb:6.1f} ({mb / ma:.2f})')
        # The median of each pair's own ratio: a pair shares its minute's load, so it is steadier than the ratio of medians.
        pairs = statistics.median(b['cpu'] / a['cpu'] for a, b in zip(figures[(w, 'A')], figures[(w, 'B')]))
        walls = statistics.median(b['wall'] / a['wall'] for a, b in zip(figures[(w, 'A')], figures[(w, 'B')]))
        print(f'{w:10} ' + '  '.join(row) + f'  pairwise B/A: wall {walls:.2f} cpu {pairs:.2f}')

if __name__ == '__main__':
    main()
