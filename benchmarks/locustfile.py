"""The users of the load and fault scripts (benchmarks/load.py, benchmarks/fault.py): directors
and the programme office reading the status pages, metrics and packs; leads saving drafts of their
updates. Each response's status is tallied (with the second it came in) so the scripts can say
what answered what, when; every draft sent is remembered (with whether the server confirmed it) to be checked after.

Run by the scripts, not by hand: they pass LOAD_PLAN (JSON: pages, update URLs) and LOAD_RESULTS
(where the tallies are written when the run stops)."""

import itertools
import json
import os
import re
import time
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

PLAN = json.loads(os.environ.get("LOAD_PLAN", "{}"))
RESULTS = os.environ.get("LOAD_RESULTS", "")
PASSWORD = PLAN.get("password", "")
STATUS_BY_SECOND: Counter = Counter()  # (epoch second, status) → responses
SAVED_DRAFTS: list[tuple[str, str, bool]] = []  # (update URL, marker, confirmed saved) in the order sent
NEXT_UPDATE = itertools.count()  # each lead user writes its own update: no two race for one version
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.request.add_listener
def tally(response=None, exception=None, **kwargs):
    status = response.status_code if response is not None else 0  # 0: no answer (connection refused)
    STATUS_BY_SECOND[(int(time.time()), status)] += 1


@events.quitting.add_listener
def write_results(environment, **kwargs):
    if RESULTS:
        with open(RESULTS, "w") as out:
            json.dump(
                {
                    "status_by_second": [
                        [second, status, n] for (second, status), n in sorted(STATUS_BY_SECOND.items())
                    ],
                    "saved_drafts": SAVED_DRAFTS,
                },
                out,
            )


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1] if token else ""},
            name="/login/ (POST)",
            allow_redirects=False,
        )


class Reader(SignedInUser):
    """A director or the programme office: the strategy, its dashboard, actions, metrics, packs."""

    weight = 4
    username = "director"

    @task
    def read(self):
        for url, name in PLAN["pages"]:
            self.client.get(url, name=name)


class Secretary(Reader):
    weight = 1
    username = "secretary"


class Lead(SignedInUser):
    """A programme lead saving a draft of an update (the text carries a marker to find it after)."""

    weight = 1
    username = "lead"

    def on_start(self):
        super().on_start()
        n = next(NEXT_UPDATE)
        self.update_url = PLAN["update_urls"][n] if n < len(PLAN["update_urls"]) else None

    @task
    def save_draft(self):
        url = self.update_url
        if url is None:  # more lead users than updates: this one reads its list instead
            self.client.get("/updates/", name="/updates/")
            return
        form = self.client.get(url, name="update (GET)")
        token = CSRF.search(form.text or "")
        version = re.search(r'name="version" value="(\d+)"', form.text or "")
        if form.status_code != 200 or not token:
            return
        marker = f"load-{uuid.uuid4().hex[:12]}"
        response = self.client.post(
            url,
            {
                "csrfmiddlewaretoken": token[1],
                "version": version[1] if version else "0",
                "rag": "green",
                "progress": f"Progress under load ({marker}).",
                "intent": "save",
            },
            name="update (POST draft)",
            allow_redirects=False,
        )
        # Saved: redirected back to the same page (a redirect to sign-in means the session was lost).
        confirmed = response.status_code == 302 and response.headers.get("Location", "").split("?")[0] == url
        SAVED_DRAFTS.append((url, marker, confirmed))
