"""Wall 3 — processes do not share variables.

What it does: three ways shared state goes wrong across processes, each with
the fix next to it, and counts what was lost:

  1. a module-level global incremented in worker processes: every process
     changes its own copy, the parent still sees 0 (rule PAR020);
  2. multiprocessing.Value / Array incremented with `+=` and no lock: the
     read-modify-write of two processes interleaves and updates are lost
     (PAR021); the same loop inside `with value.get_lock():` is exact;
  3. a Manager dict holding a list, changed with `d[key].append(x)`: the proxy
     hands out a copy, so the append never reaches the manager (PAR022);
     reading, changing and assigning the list back works.

    parascope run examples/shared_state.py
"""
import multiprocessing

INCREMENTS = 40_000
counter = 0


def bump_global(n):
    global counter
    for _ in range(n):
        counter += 1  # <- changes this process's copy only


def bump_unlocked(value, array, n):
    for _ in range(n):
        value.value += 1  # <- read, add, write: not atomic across processes
        array[0] += 1


def bump_locked(value, n):
    for _ in range(n):
        with value.get_lock():
            value.value += 1


def append_nested(shared, item):
    shared["items"].append(item)  # <- appends to a copy; lost


def append_reassigned(shared, lock, item):
    with lock:
        items = shared["items"]
        items.append(item)
        shared["items"] = items  # <- assigning back is what reaches the manager


def run_all(target, args_list):
    workers = [multiprocessing.Process(target=target, args=args) for args in args_list]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def main():
    run_all(bump_global, [(INCREMENTS,), (INCREMENTS,)])
    print("1. global counter after 2 x %d increments in workers: %d (expected %d)" % (INCREMENTS, counter, 2 * INCREMENTS))

    value = multiprocessing.Value("i", 0)
    array = multiprocessing.Array("i", 1)
    run_all(bump_unlocked, [(value, array, INCREMENTS), (value, array, INCREMENTS)])
    lost = 2 * INCREMENTS - value.value
    print("2. Value without a lock: %d of %d (%d updates lost); Array: %d" % (value.value, 2 * INCREMENTS, lost, array[0]))
    locked = multiprocessing.Value("i", 0)
    run_all(bump_locked, [(locked, INCREMENTS), (locked, INCREMENTS)])
    print("   with value.get_lock(): %d of %d" % (locked.value, 2 * INCREMENTS))

    with multiprocessing.Manager() as manager:
        shared = manager.dict({"items": []})
        run_all(append_nested, [(shared, "a"), (shared, "b")])
        print("3. Manager dict, d['items'].append(x) in 2 workers: %r (expected 2 items)" % (shared["items"],))
        lock = manager.Lock()
        run_all(append_reassigned, [(shared, lock, "a"), (shared, lock, "b")])
        print("   read, append, assign back: %r" % (sorted(shared["items"]),))

    print("verdict: the global stayed 0, the unlocked Value lost %d updates, the nested Manager write was lost" % lost)


if __name__ == "__main__":
    main()
