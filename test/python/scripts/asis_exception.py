"""An uncaught exception with a chained cause, raised a few frames deep."""


def inner(value):
    try:
        return {}[value]
    except KeyError as exc:
        raise ValueError("bad value %r" % (value,)) from exc


def outer():
    return inner("x")


print("before")
outer()
