"""Run in a separate process by tests/core/test_job_faults.py (a "web server" that starts a
job and goes away, then a reader of its state): ``python -m tests.core.job_fault_script
setup ROWS | state JOB | retry JOB | confirm JOB``, printing one JSON object.

The database and the backend come from the environment (DATABASE_URL, TASKS_URL=db://).
"""

import hashlib
import json
import sys

import django


def _setup(rows):
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from catalogue.models import ImportBatch, Producer
    from catalogue.spreadsheets import import_jobs, importing
    from regions.models import Regency

    call_command("migrate", verbosity=0)
    user = User.objects.create_superuser("faults", password="x")  # noqa: S106
    regency = Regency.objects.get(code="35.09")
    producer = Producer.objects.create(
        name="Drum Pakusari",
        kind="home_industry",
        regency=regency,
        district=regency.districts.order_by("code").first(),
    )
    lines = ["code,name_id,producer_code,category,moq,price_idr"]
    row = ",Kursi drum {n},{code},kerajinan-kayu,2,{price}"
    lines += [row.format(n=n, code=producer.code, price=100_000 + n) for n in range(rows)]
    batch = ImportBatch(user=user, original_name="faults.csv")
    batch.file.save("faults.csv", ContentFile("\r\n".join(lines).encode()), save=True)
    importing.analyse(batch, user)
    job = import_jobs.start_confirm(batch, user, None)
    return {"job": job.pk, "batch": batch.pk, "state": job.state}


def _state(job_id):
    from catalogue.models import ImportBatch, Product
    from core.jobs import runner
    from core.jobs.models import Job

    job = runner.refreshed(Job.objects.get(pk=job_id))
    rows = Product.objects.order_by("pk").values_list("code", "name_id", "price_idr", "version")
    return {
        "state": job.state,
        "error_code": job.error_code,
        "attempts": job.attempts,
        "outcome": job.result.get("outcome"),
        "batch": ImportBatch.objects.get(pk=job.subject).status,
        "products": Product.objects.count(),
        "history": Product.history.count(),
        "checksum": hashlib.sha256(repr(list(rows)).encode()).hexdigest(),
    }


def _retry(job_id):
    from core.jobs import runner
    from core.jobs.models import Job

    return {"retried": runner.retry(Job.objects.get(pk=job_id))}


def _confirm_again(job_id):
    """The confirm button pressed again: the same key finds the same job."""
    from catalogue.models import ImportBatch
    from catalogue.spreadsheets import import_jobs
    from core.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    batch = ImportBatch.objects.get(pk=job.subject)
    return {"job": import_jobs.start_confirm(batch, job.owner, None).pk}


def main(command, argument):
    django.setup()
    handlers = {"setup": _setup, "state": _state, "retry": _retry, "confirm": _confirm_again}
    print(json.dumps(handlers[command](int(argument))))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
