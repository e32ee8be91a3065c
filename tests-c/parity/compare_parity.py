#!/usr/bin/env python3
"""C API parity: runs parity_runner against libswasm.so and against wasmtime 50.0.1's C library,
compares the transcripts case by case, and checks every difference against
expected_differences.txt (each entry refers to a row of docs/wasmtime-differences.md).

    compare_parity.py [--runner PATH] [--swasm LIB] [--wasmtime LIB] [--expected FILE]
                      [--transcripts DIR] [--strict] [--show-all] [PREFIX...]

Without --runner the runner is compiled here with cc from the sources beside this script.
Without --wasmtime the library comes from the installed PyPI package wasmtime==50.0.1
(wasmtime/linux-x86_64/_libwasmtime.so); the comparison fails loudly when it cannot be found.

A difference is either
  "messages"   only the texts of errors and traps differ (error "..." / trap "..." lines with the
               same outcome), or
  "behaviour"  anything else (a result, an outcome, a crash, an unexported function).
An entry of expected_differences.txt names cases (shell patterns), the kind of difference it
allows ("messages" allows only message texts to differ, "behaviour" allows anything) and the
reason, which must cite an id of docs/wasmtime-differences.md. Exit status: 0 when every
difference is expected, 1 otherwise, 2 when the comparison could not run.
"""
import argparse
import difflib
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
WASMTIME_VERSION = '50.0.1'
DOC = os.path.join(ROOT, 'docs', 'wasmtime-differences.md')


def fail_setup(msg):
    print('capi_parity: SETUP FAILURE: ' + msg, file=sys.stderr)
    print('capi_parity: the parity comparison did not run', file=sys.stderr)
    sys.exit(2)


def find_wasmtime(explicit):
    if explicit:
        if not os.path.exists(explicit):
            fail_setup('wasmtime C library %s does not exist' % explicit)
        return explicit
    env = os.environ.get('WASMTIME_C_LIBRARY')
    if env:
        if not os.path.exists(env):
            fail_setup('WASMTIME_C_LIBRARY=%s does not exist' % env)
        return env
    try:
        import importlib.metadata
        import importlib.util
        spec = importlib.util.find_spec('wasmtime')
        version = importlib.metadata.version('wasmtime')
    except Exception as e:  # noqa: BLE001 - any failure means "not installed"
        fail_setup('the Python package wasmtime is not installed (%s); install it with '
                   '`pip install wasmtime==%s` (.ci/setup does) or pass --wasmtime LIB' % (e, WASMTIME_VERSION))
    if spec is None or not spec.submodule_search_locations:
        fail_setup('the Python package wasmtime is not installed; `pip install wasmtime==%s`' % WASMTIME_VERSION)
    if version != WASMTIME_VERSION:
        fail_setup('the installed wasmtime package is %s, the expectations are for %s; '
                   '`pip install wasmtime==%s`' % (version, WASMTIME_VERSION, WASMTIME_VERSION))
    pkg = list(spec.submodule_search_locations)[0]
    for sub in ('linux-x86_64', 'linux-aarch64'):
        lib = os.path.join(pkg, sub, '_libwasmtime.so')
        if os.path.exists(lib):
            return lib
    fail_setup('no _libwasmtime.so in %s' % pkg)


def build_runner(workdir):
    cc = os.environ.get('CC', 'cc')
    sources = sorted(os.path.join(HERE, f) for f in os.listdir(HERE)
                     if f.endswith('.c') and (f.startswith('cases_') or f in ('parity_runner.c', 'helpers.c')))
    out = os.path.join(workdir, 'parity_runner')
    cmd = [cc, '-std=gnu11', '-O1', '-g', '-Wall', '-Wextra', '-Wno-missing-field-initializers',
           '-I' + HERE, '-I' + os.path.join(ROOT, 'include'), '-o', out] + sources + ['-ldl']
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        fail_setup('compiling the runner failed:\n' + r.stderr)
    return out


def parse(text):
    cases, order, cur = {}, [], None
    for line in text.split('\n'):
        if line.startswith('=== '):
            cur = line[4:]
            cases[cur] = []
            order.append(cur)
        elif cur is not None and line != '':
            cases[cur].append(line)
    return cases, order


MESSAGE = re.compile(r'(error|trap) "(?:\\.|[^"\\])*"')


def without_messages(lines):
    return [MESSAGE.sub(lambda m: m.group(1) + ' "<message>"', l) for l in lines]


def load_expectations(path):
    if not os.path.exists(path):
        fail_setup('the expectations file %s is missing' % path)
    doc_ids = set()
    if os.path.exists(DOC):
        doc_ids = set(re.findall(r'<a id="([A-Za-z0-9_-]+)"', open(DOC, encoding='utf-8').read()))
    entries, problems = [], []
    for n, raw in enumerate(open(path, encoding='utf-8'), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[1] not in ('messages', 'behaviour'):
            problems.append('%s:%d: expected "PATTERN messages|behaviour REASON"' % (path, n))
            continue
        ids = re.findall(r'wasmtime-differences\.md#([A-Za-z0-9_-]+)', parts[2])
        if not ids:
            problems.append('%s:%d: the reason must cite docs/wasmtime-differences.md#ID' % (path, n))
        for i in ids:
            if i not in doc_ids:
                problems.append('%s:%d: docs/wasmtime-differences.md has no <a id="%s">' % (path, n, i))
        entries.append({'pattern': parts[0], 'kind': parts[1], 'reason': parts[2], 'line': n, 'used': False})
    return entries, problems


def run(runner, lib, prefixes, timeout):
    env = dict(os.environ)
    try:
        r = subprocess.run([runner, lib] + prefixes, capture_output=True, text=True,
                           errors='surrogateescape', timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        fail_setup('the runner timed out on %s' % lib)
    if r.returncode != 0:
        fail_setup('the runner failed on %s (exit %d):\n%s' % (lib, r.returncode, r.stderr))
    return r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--runner')
    ap.add_argument('--swasm', default=os.path.join(ROOT, 'build', 'lib', 'libswasm.so'))
    ap.add_argument('--wasmtime')
    ap.add_argument('--expected', default=os.path.join(HERE, 'expected_differences.txt'))
    ap.add_argument('--transcripts', help='directory to keep both transcripts in')
    ap.add_argument('--strict', action='store_true', help='also fail on expectations no case needs')
    ap.add_argument('--show-all', action='store_true', help='print the diff of expected differences too')
    ap.add_argument('--open-bugs', default=os.path.join(HERE, 'open_bugs.txt'),
                    help='cases that differ because of a known, not yet fixed swasm bug')
    ap.add_argument('--write-open-bugs', action='store_true', help='rewrite the open-bugs file from this run')
    ap.add_argument('--timeout', type=int, default=900)
    ap.add_argument('prefixes', nargs='*')
    args = ap.parse_args()

    wasmtime_lib = find_wasmtime(args.wasmtime)
    if not os.path.exists(args.swasm):
        fail_setup('libswasm.so not found at %s' % args.swasm)
    if shutil.which(os.environ.get('PARITY_WAT2WASM', 'wat2wasm')) is None:
        fail_setup("wabt's wat2wasm is not on PATH (set PARITY_WAT2WASM)")
    workdir = tempfile.mkdtemp(prefix='capi-parity-')
    try:
        runner = args.runner or build_runner(workdir)
        os.environ.setdefault('PARITY_CACHE_DIR', os.path.join(workdir, 'wasm'))
        wt_text = run(runner, wasmtime_lib, args.prefixes, args.timeout)
        sw_text = run(runner, args.swasm, args.prefixes, args.timeout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.transcripts:
        os.makedirs(args.transcripts, exist_ok=True)
        with open(os.path.join(args.transcripts, 'wasmtime.txt'), 'w', errors='surrogateescape') as f:
            f.write(wt_text)
        with open(os.path.join(args.transcripts, 'swasm.txt'), 'w', errors='surrogateescape') as f:
            f.write(sw_text)
    wt, order = parse(wt_text)
    sw, sw_order = parse(sw_text)
    if not order:
        fail_setup('the runner printed no cases for wasmtime')
    for name in sw_order:
        if name not in wt:
            order.append(name)

    entries, problems = load_expectations(args.expected)
    same = expected = 0
    unexpected = []
    for name in order:
        a, b = wt.get(name), sw.get(name)
        if a == b:
            same += 1
            continue
        kind = 'messages' if a is not None and b is not None and without_messages(a) == without_messages(b) else 'behaviour'
        entry = next((e for e in entries if fnmatch.fnmatchcase(name, e['pattern'])), None)
        if entry:
            entry['used'] = True
        if entry and (entry['kind'] == 'behaviour' or kind == 'messages'):
            expected += 1
            if args.show_all:
                print('--- expected %s difference in %s (%s)' % (kind, name, entry['reason']))
                show_diff(a, b)
            continue
        unexpected.append((name, kind, entry, a, b))

    # Known bugs: listed cases may still differ (each is printed as OPEN BUG); a listed case that
    # no longer differs fails the run until it is removed, so the list only shrinks.
    open_bugs = set()
    if os.path.exists(args.open_bugs) and not args.write_open_bugs:
        open_bugs = {l.split()[0] for l in open(args.open_bugs, encoding='utf-8') if l.strip() and not l.startswith('#')}
    if args.write_open_bugs:
        with open(args.open_bugs, 'w', encoding='utf-8') as f:
            f.write('# Cases that differ from wasmtime because of swasm bugs not fixed yet (issue 11). Not deliberate:\n'
                    '# compare_parity.py reports each as OPEN BUG, and fails when one of them stops differing.\n')
            for name, kind, entry, a, b in unexpected:
                f.write('%s %s\n' % (name, kind))
        print('wrote %d open bugs to %s' % (len(unexpected), args.open_bugs))
        return
    still_open = [u for u in unexpected if u[0] in open_bugs]
    unexpected = [u for u in unexpected if u[0] not in open_bugs]
    fixed = sorted(n for n in open_bugs if n in order and wt.get(n) == sw.get(n))
    for name, kind, entry, a, b in still_open:
        print('OPEN BUG (open_bugs.txt): %s difference in %s' % (kind, name))
    for name in fixed:
        print('FIXED: %s now matches wasmtime: remove it from open_bugs.txt' % name)
        problems.append('open_bugs.txt lists %s, which no longer differs' % name)
    for name, kind, entry, a, b in unexpected:
        if entry:
            print('UNEXPECTED %s difference in %s (expected_differences.txt:%d allows only %s)'
                  % (kind, name, entry['line'], entry['kind']))
        else:
            print('UNEXPECTED %s difference in %s' % (kind, name))
        show_diff(a, b)
    stale = []
    for e in entries:
        if e['used']:
            continue
        matched = [n for n in order if fnmatch.fnmatchcase(n, e['pattern'])]
        if matched:
            stale.append(e)
            print('note: expected_differences.txt:%d "%s": %s now identical (remove the entry?)' % (
                e['line'], e['pattern'], ', '.join(matched) if len(matched) <= 3 else '%d cases' % len(matched)))
        elif not args.prefixes:
            stale.append(e)
            print('note: expected_differences.txt:%d "%s" matches no case' % (e['line'], e['pattern']))
    for p in problems:
        print('ERROR: ' + p)
    print('capi_parity: %d cases, %d identical, %d expected differences, %d open bugs, %d unexpected differences%s' % (
        len(order), same, expected, len(still_open), len(unexpected), ', %d stale expectations' % len(stale) if stale else ''))
    if unexpected or problems or (args.strict and stale and not args.prefixes):
        sys.exit(1)


def show_diff(a, b):
    a = a if a is not None else ['(case missing)']
    b = b if b is not None else ['(case missing)']
    for line in difflib.unified_diff(a, b, 'wasmtime', 'swasm', lineterm='', n=1):
        print('    ' + line)


if __name__ == '__main__':
    main()
