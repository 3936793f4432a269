"""Background jobs: a ``Job`` row per piece of long work, run by django-tasks.

- ``registry``: apps register their kinds (``register(Kind(...))``);
- ``runner``: ``start``/``retry``/``cancel``, the task's body and lost-worker detection;
- ``tasks``: the django-tasks task (``db_worker`` or RQ's worker runs it);
- ``views``: "My jobs", the job page and its JSON status.
"""
