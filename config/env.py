"""Deploy-time values from the environment, for config/settings.py and config/gunicorn.conf.py.

Every helper refuses a value it cannot use with ``ImproperlyConfigured`` naming the variable
and the value, so that a typo stops the start with one clear line instead of a traceback
deep inside Django or gunicorn, or a silently different setting. An unset or empty variable
means the default.
"""

import ipaddress
import math
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env(name, default=""):
    return os.environ.get(name, default)


def _given(name):
    """The variable's value without surrounding spaces, or ``None`` when unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or None


def _refuse(name, requirement, value):
    return ImproperlyConfigured(f"{name} must be {requirement}, not {value!r}")


def env_bool(name, default=False):
    value = _given(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise _refuse(name, f"one of {', '.join(TRUE_WORDS + FALSE_WORDS)}", value)


def _in_range(name, number, value, minimum, maximum):
    if minimum is not None and number < minimum:
        raise _refuse(name, f"at least {minimum}", value)
    if maximum is not None and number > maximum:
        raise _refuse(name, f"at most {maximum}", value)
    return number


def env_int(name, default, *, minimum=0, maximum=None):
    """A whole number; negative ones are refused unless ``minimum`` allows them."""
    value = _given(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _refuse(name, "a whole number", value) from None
    return _in_range(name, number, value, minimum, maximum)


def env_float(name, default, *, minimum=0.0, maximum=None):
    """A finite decimal number (``0.5``); ``nan`` and ``inf`` are refused."""
    value = _given(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise _refuse(name, "a number such as 0.5", value) from None
    if not math.isfinite(number):
        raise _refuse(name, "a finite number", value)
    return _in_range(name, number, value, minimum, maximum)


def env_choice(name, choices, default):
    """One of ``choices`` in any letter case, returned spelled as in ``choices``."""
    value = _given(name)
    if value is None:
        return default
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise _refuse(name, f"one of {', '.join(choices)}", value)


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_addresses(name, default=""):
    """A list of IP addresses and networks (``10.0.0.2``, ``10.0.0.0/24``, ``::1``), or ``*``.

    The same form as gunicorn's ``forwarded_allow_ips``, which checks each entry with
    ``ipaddress.ip_network`` (https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips).
    """
    entries = env_list(name, default)
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry)
        except ValueError:
            raise _refuse(name, "comma-separated IP addresses or networks (or *)", entry) from None
    return entries
