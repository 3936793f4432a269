"""Random figures the way people state them: prices in round rupiah, MOQs and capacities
to one or two significant figures, sizes spread over orders of magnitude."""

import math


def between(rng, low, high):
    return rng.randint(low, high) if isinstance(low, int) else rng.uniform(low, high)


def log_between(rng, low, high):
    return low * (high / low) ** rng.random()


def round_price(value):
    step = 500 if value < 100_000 else 1000 if value < 1_000_000 else 5000
    return max(step, int(round(value / step)) * step)


def nice_int(value):
    """Round to 1–2 significant figures, the way people state MOQ and capacity."""
    if value < 20:
        return max(1, int(value))
    magnitude = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / magnitude)) * magnitude
