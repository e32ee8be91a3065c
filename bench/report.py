"""Statistics and Markdown tables for bench/compare.py."""
import math
import statistics


def geomean(values):
    values = list(values)
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


class Timings:
    """One runtime's samples of one workload, and what the chosen clock says about them."""

    def __init__(self):
        self.samples = []

    def add(self, sample):
        self.samples.append(sample)

    def seconds(self, clock):
        return [getattr(s, clock) for s in self.samples]

    def min(self, clock):
        return min(self.seconds(clock))

    def median(self, clock):
        return statistics.median(self.seconds(clock))

    def checksums(self):
        return {s.checksum for s in self.samples}


def statistic_of(timings, clock, statistic):
    return timings.min(clock) if statistic == "min" else timings.median(clock)


def cell(timings, clock, ratio=None):
    """`min / median` seconds, and a ratio when given."""
    text = f"{timings.min(clock):.3f} / {timings.median(clock):.3f}"
    return text + (f" ({ratio:.2f}x)" if ratio is not None else "")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def loud(message):
    """A line nobody reads past: for wrong results."""
    bar = "!" * min(100, len(message) + 8)
    return f"{bar}\n!!! {message} !!!\n{bar}"
