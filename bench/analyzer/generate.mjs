// Generates a realistic parallel-Python module of about N lines for the analyzer benchmark:
// imports, pools and executors, module-level and nested functions, classes with __init__,
// lambdas, comprehensions, shared values, with-blocks, a __main__ guard. Deterministic.

const BLOCKS = [
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
    """Collects partial results from workers."""

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
`,
  (i) => `
def run_pool_${i}(paths, workers=4):
    results = []
    with multiprocessing.Pool(processes=workers) as pool:
        for chunk in pool.imap_unordered(transform_${i - (i % 8)}, paths, chunksize=16):
            results.append(chunk)
        sizes = pool.map(len, [p for p in paths if p])
    ordered = sorted(results, key=lambda r: (r["id"], r["value"]))
    return ordered, sizes
`,
  (i) => `
def submit_all_${i}(jobs, timeout=${30 + i % 5}.0):
    futures = []
    with cf.ProcessPoolExecutor(max_workers=4) as executor:
        for job in jobs:
            futures.append(executor.submit(transform_${i - (i % 8)}, job, scale=3))
        done = [f.result(timeout=timeout) for f in cf.as_completed(futures)]
    with cf.ThreadPoolExecutor(max_workers=8) as threads:
        fetched = list(threads.map(lambda j: str(j).encode("utf-8"), jobs))
    return done, fetched
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
    common = counter.most_common(${10 + i % 10})
    return dict(common)
`,
  (i) => `
def shared_total_${i}(n):
    total = multiprocessing.Value("d", 0.0)
    flags = multiprocessing.Array("i", n)
    procs = [multiprocessing.Process(target=worker_${i - (i % 8)}, args=(total, flags, k)) for k in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return total.value, list(flags)
`,
  (i) => `
def worker_${i}(total, flags, k):
    with total.get_lock():
        total.value += k * 0.5
    flags[k] = 1
    log.debug("worker %d done", k)


CONFIG_${i} = {
    "name": "stage-${i}",
    "retries": ${i % 4},
    "paths": ["data/%d.csv" % n for n in range(${i % 9 + 1})],
    "weights": (0.25, 0.5, 0.25),
}
`,
];

const HEADER = `"""Generated benchmark module: a realistic mix of parallel Python code."""
import collections
import concurrent.futures as cf
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
    print(run_pool_2(data))
    print(submit_all_3(data))


if __name__ == "__main__":
    main()
`;

/** A module of at least `lines` lines. */
export function generateModule(lines = 10_000) {
  const parts = [HEADER];
  let count = HEADER.split('\n').length;
  for (let i = 0; count < lines - 12; i += 1) {
    const block = BLOCKS[i % BLOCKS.length](i);
    parts.push(block);
    count += block.split('\n').length - 1;
  }
  parts.push(FOOTER);
  return parts.join('');
}
