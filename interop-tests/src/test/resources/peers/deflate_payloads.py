"""The payloads of the deflate interop tests: 0 B, 1 B, 100 KB and 10 MB, text and binary,
compressible and random. Each client compares the echo with what it sent."""
import random


def _random(length, seed):
    return random.Random(seed).randbytes(length)


def _compressible(length):
    words = ["alpha", "beta", "gamma", "delta", '{"id":', '"price":', " "]
    parts = []
    total = 0
    i = 0
    while total < length:
        part = words[i % len(words)] + str(i % 97) + " "
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:length].encode("latin-1")


def all(full):
    result = []
    sizes = (0, 1, 100 * 1024, 10 * 1024 * 1024) if full else (0, 1, 100 * 1024)
    for size in sizes:
        result.append((f"text {size}", False, _compressible(size)))
        result.append((f"binary compressible {size}", True, _compressible(size)))
        result.append((f"binary random {size}", True, _random(size, size + 7)))
    return result
