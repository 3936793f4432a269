"""Simulated users for benchmarks/load.py (run it through load.py, which prepares the data).

Staff browse and filter the product list (random filters, search words, sorts and pages),
open products and now and then export a filtered list as CSV; visitors browse too and write
notes through the note endpoint as static/js/note_entry.js does (fetch, JSON answer, one
client_token per note). Request names group the figures by page type.
"""

import json
import os
import random
import uuid
from urllib.parse import urlencode

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

SAMPLES = json.loads(open(os.environ["ETALASE_LOAD_SAMPLES"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = SAMPLES["password"]
# Seconds a user waits between two requests: reading a list, choosing the next filter.
WAIT = [float(s) for s in os.environ.get("ETALASE_LOAD_WAIT", "1,5").split(",")]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# The measured time starts once the last user has logged in (not when it was spawned:
# under load a login takes seconds), then lasts this many seconds; load.py waits for the
# marker file to start its import.
MEASURE_SECONDS = float(os.environ.get("ETALASE_LOAD_MEASURE_SECONDS", "0"))
STARTED_MARKER = os.environ.get("ETALASE_LOAD_STARTED", "")
logged_in = 0


def all_logged_in(environment):
    """Reset the figures, mark the start and end the run ``MEASURE_SECONDS`` later."""
    environment.runner.stats.reset_all()
    if STARTED_MARKER:
        with open(STARTED_MARKER, "w", encoding="utf-8") as fh:
            fh.write(str(logged_in))
    if MEASURE_SECONDS:
        gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


@events.init.add_listener
def count_from_zero(environment, **kwargs):
    global logged_in
    logged_in = 0


def random_filters():
    params = {}
    if random.random() < 0.5:
        params["regency"] = random.choice(SAMPLES["regencies"])
    if random.random() < 0.4:
        params["status"] = random.choice(SAMPLES["statuses"])
    if random.random() < 0.3:
        params["category"] = random.choice(SAMPLES["categories"])
    if random.random() < 0.2:
        params["min_readiness"] = random.choice([40, 60, 80])
    if random.random() < 0.1:
        params["has_photo"] = "1"
    return params


class CatalogueUser(FastHttpUser):
    """A logged-in user; FastHttpUser keeps the load generator's own CPU use small, which
    matters when it shares the 2 cores with the server it measures."""

    abstract = True
    wait_time = between(*WAIT)
    username = ""

    def csrf_token(self):
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    def on_start(self):
        self.client.get("/accounts/login/", name="login page")
        form = {
            "username": self.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": self.csrf_token(),
        }
        with self.client.post(
            "/accounts/login/",
            urlencode(form),
            headers={**FORM, "Referer": self.host + "/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code} {response.text[:300]}")
        global logged_in
        logged_in += 1
        if logged_in == self.environment.parsed_options.num_users:
            all_logged_in(self.environment)

    def browse_list(self):
        params = random_filters()
        if random.random() < 0.3:
            params["sort"] = random.choice(["name", "-updated", "readiness", "-price", "producer"])
        if random.random() < 0.3:
            params["page"] = random.randint(2, 5)
        self.client.get("/products/?" + urlencode(params), name="product list")

    def search_list(self):
        params = random_filters()
        params["q"] = random.choice(SAMPLES["words"])
        if random.random() < 0.2:  # a typo: two letters swapped
            word = params["q"]
            i = random.randrange(len(word) - 1)
            params["q"] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        self.client.get("/products/?" + urlencode(params), name="product list ?q")

    def open_product(self):
        code = random.choice(SAMPLES["products"])["code"]
        self.client.get(f"/products/{code}/", name="product detail")


class StaffUser(CatalogueUser):
    weight = 4
    username = SAMPLES["staff"]

    @task(6)
    def list_page(self):
        self.browse_list()

    @task(4)
    def search_page(self):
        self.search_list()

    @task(3)
    def detail(self):
        self.open_product()

    @task(1)
    def producers(self):
        self.client.get("/producers/?" + urlencode(random_filters()), name="producer list")

    @task(1)
    def export(self):
        # A narrow filter: a few hundred rows, as a staff member exports one regency's
        # shortlist (exporting all 100,000 rows is benchmarks/spreadsheets.py's job).
        params = {
            "format": "csv",
            "regency": random.choice(SAMPLES["regencies"]),
            "status": random.choice(SAMPLES["statuses"]),
            "category": random.choice(SAMPLES["categories"]),
        }
        with self.client.get(
            "/products/export/?" + urlencode(params), name="export csv", catch_response=True
        ) as response:
            # The CSV starts with a UTF-8 byte order mark, for Excel.
            body = response.content.removeprefix(b"\xef\xbb\xbf")
            if response.status_code == 200 and not body.startswith(b"code,"):
                response.failure("not a CSV with the contract header")


class VisitorUser(CatalogueUser):
    weight = 1
    username = SAMPLES["visitor"]

    @task(3)
    def list_page(self):
        self.browse_list()

    @task(2)
    def detail(self):
        self.open_product()

    @task(3)
    def write_note(self):
        product = random.choice(SAMPLES["products"])
        token = str(uuid.uuid4())
        data = {
            "producer": product["producer"],
            "product": product["code"],
            "text": "Load test note: samples and a price quote for 500 pieces, please.",
            "interest": random.randint(1, 5),
            "requested": ["samples", "price_quote"],
            "visibility": "shared",
            "client_token": token,
        }
        headers = {
            **FORM,
            "Accept": "application/json",
            "X-CSRFToken": self.csrf_token(),
            "Referer": self.host + "/notes/new/",
        }
        with self.client.post(
            "/notes/new/",
            urlencode(data, doseq=True),
            headers=headers,
            name="note (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"note not stored: {response.status_code} {response.text[:200]}")
