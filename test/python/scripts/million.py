"""One lock at the end of a million-item payload."""
import multiprocessing as mp
import threading


def ident(x):
    return len(x)


if __name__ == "__main__":
    payload = list(range(1000000)) + [threading.Lock()]
    with mp.get_context("fork").Pool(1) as pool:
        try:
            pool.apply(ident, (payload,))  # ROW million
        except TypeError as exc:
            print("raised", exc)
