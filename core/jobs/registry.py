"""Kinds of job: apps register what their jobs do; core runs and shows them.

Core imports no app (DESIGN.md, "Layout"), so an app registers its kinds when it is ready
(``AppConfig.ready``), e.g. the catalogue's import analysis and confirm.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class JobFailed(Exception):  # noqa: N818 - read as "the job failed"
    """Raised by a kind's function: the job fails with ``message`` (already translated),
    or with ``code``, whose text is written when it is read, in the reader's language
    (``Job.error_text``, ``Kind.error_text``)."""

    def __init__(self, message="", retryable=True, code=""):
        super().__init__(message or code)
        self.message = message
        self.retryable = retryable
        self.code = code


class Cancelled(Exception):  # noqa: N818
    """Raised by the progress callback once someone asked to cancel the job."""


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # lazy translated text
    # run(job, progress) -> {"url": result page, "file": a named File to keep, ...outcome};
    # progress(done, total, stage). A kept file is stored in ``Job.file`` (runner).
    run: Callable
    retryable: bool = True
    # Only where stopping half-way leaves nothing behind (an analysis, a file being built).
    cancellable: bool = False
    # The job page sends the user on to the result once it is done (an import's preview).
    redirect_when_done: bool = False
    # (messages level, text) shown on the result page after a redirect, or None.
    done_message: Callable | None = None
    # The job page's link to the result (lazy translated text; "See the result" if None).
    result_label: Any = None
    # may_run(user) -> bool: whether the job's owner may still do this; checked by "Try
    # again" and before the job runs (rights change in /admin/). None: anyone who started it.
    may_run: Callable | None = None
    # on_cancel(job): called when a queued job is cancelled (no worker will run it), to
    # drop what was kept for it.
    on_cancel: Callable | None = None
    # error_text(code) -> text or None: the kind's own wording of a failure code.
    error_text: Callable | None = None


_kinds: dict[str, Kind] = {}


def register(kind):
    _kinds[kind.name] = kind
    return kind


def get(name):
    return _kinds.get(name)
