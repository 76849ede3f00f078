// Generates a realistic parallel-Python module of about N lines for the analyzer benchmark.
// Deterministic. The mix follows a typical data-processing module: mostly ordinary helpers,
// records and transforms (with lambdas, comprehensions, decorators, classes), and about one
// block in four that fans work out (pools, executors, processes, shared values, managers).

const ORDINARY = [
  (i) => `
def transform_${i}(record, scale=2, offset=${i % 7}):
    """Scale one record and clip it to the allowed range."""
    value = record.get("value", 0) * scale + offset
    if value > 1000:
        value = 1000
    elif value < -1000:
        value = -1000
    items = [v * 2 for v in record.get("items", []) if v % 3 != 0]
    totals = {k: sum(vs) for k, vs in record.get("groups", {}).items()}
    return {"id": record["id"], "value": value, "items": items, "totals": totals}
`,
  (i) => `
class Accumulator${i}:
    """Collects partial results."""

    def __init__(self, name, limit=${100 + i}):
        self.name = name
        self.limit = limit
        self.values = []
        self.count = 0

    def add(self, value):
        if len(self.values) >= self.limit:
            self.values.pop(0)
        self.values.append(value)
        self.count += 1
        return self.count

    def mean(self):
        return sum(self.values) / max(len(self.values), 1)

    def top(self, n=3):
        return sorted(self.values, key=lambda v: -abs(v))[:n]
`,
  (i) => `
def parse_line_${i}(line):
    parts = line.strip().split(",")
    if len(parts) < 3:
        raise ValueError("short line: %r" % (line,))
    key, raw, tags = parts[0], parts[1], parts[2:]
    try:
        number = float(raw)
    except ValueError:
        number = float("nan")
    return key, number, tuple(t.lower() for t in tags)
`,
  (i) => `
def count_words_${i}(texts):
    counter = collections.Counter()
    for text in texts:
        for word in text.split():
            word = word.strip(".,;:!?").lower()
            if word and not word.isdigit():
                counter[word] += 1
    common = counter.most_common(${10 + (i % 10)})
    return dict(common)
`,
  (i) => `
@dataclasses.dataclass
class Record${i}:
    key: str
    value: float = 0.0
    tags: tuple = ()

    def normalized(self, total):
        return Record${i}(self.key, self.value / total if total else 0.0, self.tags)

    @property
    def label(self):
        return "%s (%d tags)" % (self.key, len(self.tags))
`,
  (i) => `
def validate_${i}(rows, required=("id", "value")):
    errors = []
    for index, row in enumerate(rows):
        missing = [name for name in required if name not in row]
        if missing:
            errors.append((index, "missing " + ", ".join(missing)))
        elif not isinstance(row["value"], (int, float)):
            errors.append((index, "value is not a number"))
    return errors
`,
  (i) => `
def retry_${i}(attempts=3):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except OSError:
                    if attempt == attempts - 1:
                        raise
        return wrapper
    return decorate
`,
  (i) => `
def summarize_${i}(values):
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    median = ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    mean = sum(ordered) / n
    spread = max(ordered) - min(ordered)
    return {"n": n, "mean": mean, "median": median, "spread": spread}


LIMITS_${i} = {"low": -${i % 50}, "high": ${100 + i}, "names": ["a%d" % k for k in range(${(i % 5) + 1})]}
`,
  (i) => `
def format_table_${i}(rows, width=12):
    header = " | ".join(name.ljust(width) for name in ("key", "value", "tags"))
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = [str(row.get(k, "")).ljust(width)[:width] for k in ("key", "value", "tags")]
        lines.append(" | ".join(cells))
    return "\\n".join(lines)
`,
];

const PARALLEL = [
  (i) => `
def run_pool_${i}(paths, workers=4):
    results = []
    with multiprocessing.Pool(processes=workers) as pool:
        for chunk in pool.imap_unordered(transform_1, paths, chunksize=16):
            results.append(chunk)
        sizes = pool.map(len, [p for p in paths if p])
    ordered = sorted(results, key=lambda r: (r["id"], r["value"]))
    return ordered, sizes
`,
  (i) => `
def submit_all_${i}(jobs, timeout=${30 + (i % 5)}.0):
    futures = []
    with cf.ProcessPoolExecutor(max_workers=4) as executor:
        for job in jobs:
            futures.append(executor.submit(transform_1, job, scale=3))
        done = [f.result(timeout=timeout) for f in cf.as_completed(futures)]
    with cf.ThreadPoolExecutor(max_workers=8) as threads:
        fetched = list(threads.map(lambda j: str(j).encode("utf-8"), jobs))
    return done, fetched
`,
  (i) => `
def shared_total_${i}(n):
    total = multiprocessing.Value("d", 0.0)
    flags = multiprocessing.Array("i", n)
    procs = [multiprocessing.Process(target=worker_${i + 1}, args=(total, flags, k)) for k in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return total.value, list(flags)


def worker_${i + 1}(total, flags, k):
    with total.get_lock():
        total.value += k * 0.5
    flags[k] = 1
    log.debug("worker %d done", k)
`,
  (i) => `
def gather_${i}(keys):
    with multiprocessing.Manager() as manager:
        shared = manager.dict()
        with P(4) as pool:
            pool.starmap(store_${i + 1}, [(shared, key) for key in keys])
        return dict(shared)


def store_${i + 1}(shared, key):
    shared[key] = len(str(key))
`,
];

const HEADER = `"""Generated benchmark module: a realistic mix of parallel Python code."""
import collections
import concurrent.futures as cf
import dataclasses
import functools
import logging
import multiprocessing
import os
from multiprocessing import Pool as P

log = logging.getLogger(__name__)
`;

const FOOTER = `

def main():
    data = [{"id": n, "value": n, "items": list(range(n % 5))} for n in range(100)]
    print(run_pool_0(data))


if __name__ == "__main__":
    main()
`;

/** A module of at least `lines` lines; every fourth block fans work out. */
export function generateModule(lines = 10_000) {
  const parts = [HEADER];
  let count = HEADER.split('\n').length;
  let ordinary = 0;
  let parallel = 0;
  const footer = FOOTER.split('\n').length - 1;
  for (let i = 0; count + footer < lines; i += 1) {
    const block = i % 4 === 0 ? PARALLEL[parallel++ % PARALLEL.length](i) : ORDINARY[ordinary++ % ORDINARY.length](i);
    parts.push(block);
    count += block.split('\n').length - 1;
  }
  parts.push(FOOTER);
  return parts.join('');
}
