"""Ploomes pulls against the loopback API of ploomes_server.py (serving samples/ploomes).

Paging, the rate limit, 429 + Retry-After, a 500, a timeout, a malformed page, a wrong
key, a resumed pull, a delta pull; the key never shows in logs, errors or reprs; a
live pull gives the same tables as the saved pages.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

from engine.api import ApiError, AuthError, RateLimiter
from engine.sources.ploomes import PloomesSource
from engine.sources.ploomes.client import ENTITIES, PloomesClient, odata_datetime
from engine.sources.ploomes.pages import PageError, PageSet

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "samples" / "ploomes"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ploomes_server = _load("ploomes_server")
KEY = ploomes_server.KEY


class Clock:
    """A fake clock: ``sleep`` advances ``now``; the sleeps are recorded."""

    def __init__(self):
        self.t = 1000.0
        self.sleeps = []

    def now(self):
        return self.t

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.t += seconds


@pytest.fixture
def server():
    with ploomes_server.PloomesServer.from_pages(SAMPLES, slow=1.0) as srv:
        yield srv


@pytest.fixture
def clock():
    return Clock()


def client(server, clock, key=KEY, **kw):
    options = {
        "timeout": 0.4,
        "backoff_factor": 0,
        "sleep": clock.sleep,
        "monotonic": clock.now,
        **kw,
    }
    return PloomesClient(key, server.url, **options)


def table_rows(tables):
    return {t.object_name: [r for _l, r in t.rows()] for t in tables}


@pytest.fixture(scope="module")
def offline():
    source = PloomesSource()
    tables = source.tables(SAMPLES)
    return table_rows(tables), source.issues


# ------------------------------------------------------------------ a whole pull


def test_live_pull_equals_the_saved_pages(server, clock, offline):
    source = PloomesSource()
    tables = source.pull_tables(
        {"user_key": KEY},
        server.url,
        sleep=clock.sleep,
        monotonic=clock.now,
        timeout=2.0,
    )
    assert (table_rows(tables), source.issues) == offline
    # one request an entity (each fits one page of 300), in the lookups-first order
    assert [e for e, _q, _h in server.requests] == [e.name for e in ENTITIES]
    entity, query, headers = server.requests[9]
    assert (entity, query) == (
        "Contacts",
        {
            "$top": "300",
            "$skip": "0",
            "$orderby": "Id",
            "$expand": "City,State,Country,Role,Phones($expand=Type),Tags,"
            "OtherProperties",
        },
    )
    assert headers["User-Key"] == KEY
    assert clock.sleeps == []  # 15 requests: well inside 120 a minute


def test_a_pull_reports_the_http_requests_it_needed(server, clock):
    # the samples: one page an entity, and Tasks@Types (absent: HTTP 404)
    source = PloomesSource()
    source.pull_tables(
        {"user_key": KEY}, server.url, sleep=clock.sleep, monotonic=clock.now
    )
    assert source.pull_report == {"requests": 16, "pages": 15}
    assert len(server.requests) == 16


def test_requests_asked_again_are_counted(server, clock):
    # a 429 (waited out), a 500 (retried by urllib3 inside the session), a
    # malformed page (asked again) and a timeout (retried): each is a request
    server.fail("Deals", 0, "429")
    server.fail("Users", 0, "500")
    server.fail("Contacts", 0, "malformed")
    server.fail("Tags", 0, "timeout")
    with client(server, clock, timeout=0.3) as c:
        c.pull()
        assert c.report() == {"requests": 20, "pages": 15}
    assert len(server.requests) == 20


def test_saved_pull_is_byte_for_byte_the_samples(server, clock, tmp_path):
    with client(server, clock) as c:
        c.pull(into=PageSet(tmp_path))
    for path in SAMPLES.rglob("page-*.json"):
        assert (tmp_path / path.relative_to(SAMPLES)).read_bytes() == path.read_bytes()


def test_paging_over_several_pages(server, clock, offline):
    with client(server, clock, page_size=2) as c:
        pages = c.pull(["Contacts"])
    assert pages.page_numbers("Contacts") == [1, 2, 3, 4]  # 7 contacts: 2+2+2+1
    assert [(q["$top"], q["$skip"]) for e, q, _h in server.requests] == [
        ("2", "0"),
        ("2", "2"),
        ("2", "4"),
        ("2", "6"),
    ]
    assert [r["Id"] for r in pages.records("Contacts")] == [
        5001,
        5002,
        5003,
        5101,
        5102,
        5103,
        5104,
    ]


def test_page_size_is_capped_at_300():
    with PloomesClient(KEY, "http://127.0.0.1:9", page_size=1000) as c:
        assert c.params("Deals", 600)["$top"] == "300"


def test_paged_pull_gives_the_same_tables(server, clock, offline):
    source = PloomesSource()
    tables = source.pull_tables(
        {"user_key": KEY},
        server.url,
        page_size=2,
        sleep=clock.sleep,
        monotonic=clock.now,
        timeout=2.0,
    )
    assert (table_rows(tables), source.issues) == offline


# ------------------------------------------------------------------ the rate limit


def test_rate_limit_is_kept_before_the_server_complains(server, clock):
    with client(server, clock, requests_per_minute=2, page_size=1) as c:
        c.pull(["Contacts"])  # 7 contacts + the empty page: 8 requests, 2 a minute
    assert clock.sleeps == [60.0, 60.0, 60.0]
    assert server.count("Contacts") == 8


def test_rate_limiter_window():
    clock = Clock()
    limiter = RateLimiter(3, 10.0, sleep=clock.sleep, now=clock.now)
    for _ in range(3):
        assert limiter.acquire() == 0.0
    clock.t += 4
    assert limiter.acquire() == 6.0  # the first slot frees 10 s after it was taken
    assert (clock.sleeps, limiter.waited) == ([6.0], 6.0)
    with pytest.raises(ValueError):
        RateLimiter(0)


# ------------------------------------------------------------------ faults


def test_429_waits_retry_after(server, clock):
    server.fail("Deals", 0, "429", times=2)
    with client(server, clock) as c:
        pages = c.pull(["Deals"])
    assert clock.sleeps == [7.0, 7.0]
    assert server.count("Deals") == 3
    assert len(pages.records("Deals")) == 4


def test_500_then_success(server, clock):
    server.fail("Users", 0, "500")
    with client(server, clock) as c:
        pages = c.pull(["Users"])
    assert server.count("Users") == 2
    assert [u["Id"] for u in pages.records("Users")] == [10, 11, 12]


def test_500_every_time_is_an_error_naming_entity_and_page(server, clock):
    server.fail("Users", 0, "500", times=10)
    with client(server, clock, retries=2) as c, pytest.raises(ApiError) as err:
        c.pull(["Users"])
    assert err.value.status == 500
    assert str(err.value).startswith("Ploomes Users, page 1 ($skip=0): GET ")
    assert "HTTP 500" in str(err.value)


def test_timeout_then_success(server, clock):
    server.fail("Tags", 0, "timeout")
    with client(server, clock, timeout=0.3) as c:
        pages = c.pull(["Tags"])
    assert server.count("Tags") == 2
    assert len(pages.records("Tags")) == 3


def test_timeout_every_time(server, clock):
    server.fail("Tags", 0, "timeout", times=5)
    with client(server, clock, timeout=0.2, retries=1) as c:
        with pytest.raises(ApiError, match=r"Ploomes Tags, page 1 .*no answer within"):
            c.pull(["Tags"])


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("malformed", "the page is not valid JSON"),
        ("shape", "expected an object with a 'value' list, got list"),
    ],
)
def test_bad_page_names_entity_and_page(server, clock, kind, reason):
    server.fail("Contacts", 2, kind, times=10)
    with client(server, clock, page_size=2) as c, pytest.raises(PageError) as err:
        c.pull(["Contacts"])
    assert (err.value.entity, err.value.page, err.value.skip) == ("Contacts", 2, 2)
    assert str(err.value).startswith(f"Ploomes Contacts, page 2 ($skip=2): {reason}")
    assert str(err.value).endswith("(asked 4 times)")
    # page 1 once, page 2 the first time and 3 retries, none after it
    assert [q["$skip"] for _e, q, _h in server.requests] == ["0"] + ["2"] * 4


@pytest.mark.parametrize("kind", ["malformed", "shape"])
def test_bad_page_is_asked_again_with_backoff(server, clock, offline, kind):
    server.fail("Contacts", 2, kind, times=2)
    with client(server, clock, page_size=2, backoff_factor=0.5) as c:
        pages = c.pull(["Contacts"])
    assert [q["$skip"] for _e, q, _h in server.requests].count("2") == 3
    # urllib3's Retry backoff: none before the first retry, then factor * 2 ** (n - 1)
    assert clock.sleeps == [0.0, 1.0]
    ids = [r["Id"] for r in pages.records("Contacts")]
    assert ids == [r["Id"] for r in PageSet.open(SAMPLES).records("Contacts")]


def test_page_retries_are_bounded_by_the_client(server, clock):
    server.fail("Users", 0, "malformed", times=3)
    with client(server, clock, page_retries=1) as c, pytest.raises(PageError) as err:
        c.pull(["Users"])
    assert str(err.value).endswith("(asked 2 times)")
    assert server.count("Users") == 2
    with client(server, clock, page_retries=0) as c, pytest.raises(PageError):
        c.pull(["Users"])
    assert server.count("Users") == 3  # no retry at all
    with client(server, clock) as c:  # the fault is spent: the page loads
        assert [u["Id"] for u in c.pull(["Users"]).records("Users")] == [10, 11, 12]


def test_wrong_key_is_refused_and_never_shown(server, clock, caplog):
    wrong = "WRONG-KEY-0123456789abcdef"
    caplog.set_level(logging.DEBUG)
    c = client(server, clock, key=wrong)
    with pytest.raises(AuthError) as err:
        c.pull()
    assert err.value.status == 401
    assert "authentication failed (HTTP 401)" in str(err.value)
    shown = [str(err.value), repr(err.value), repr(c), repr(c.api), caplog.text]
    c.close()
    assert all(wrong not in text for text in shown)
    assert server.requests[0][2]["User-Key"] == wrong  # it was sent, only there


def test_key_never_in_logs_errors_or_reprs(server, clock, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    server.fail("Tags", 0, "429")
    server.fail("Users", 0, "500")
    server.fail("Contacts", 0, "malformed", times=10)
    source = PloomesSource()
    with pytest.raises(PageError) as err:
        source.pull_tables(
            {"user_key": KEY},
            server.url,
            pages_dir=tmp_path,
            sleep=clock.sleep,
            monotonic=clock.now,
            timeout=2.0,
            backoff_factor=0,
        )
    texts = [caplog.text, str(err.value), repr(err.value), repr(source)]
    with client(server, clock) as c:
        texts.append(repr(c))
        texts.append(repr(c.api))
        texts.append(c.api.redact(f"User-Key: {KEY} and ?key={KEY}"))
    assert "rate limited (HTTP 429)" in caplog.text
    assert all(KEY not in text for text in texts)
    assert not any(
        KEY.encode() in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()
    )


def test_missing_user_key():
    with pytest.raises(ValueError, match="needs the account's User-Key"):
        PloomesClient("  ")
    with pytest.raises(ValueError, match="need the account's User-Key"):
        PloomesSource().pull_tables({}, "http://127.0.0.1:9")


def test_optional_entity_the_account_lacks_is_left_out(clock):
    pages = PageSet.open(SAMPLES)
    records = {e: pages.records(e) for e in pages.entities() if e != "Orders"}
    with ploomes_server.PloomesServer(records) as srv:
        source = PloomesSource()
        tables = source.pull_tables(
            {"user_key": KEY}, srv.url, sleep=clock.sleep, monotonic=clock.now
        )
    names = [t.object_name for t in tables]
    assert "orders" not in names and "quotes" in names
    # Tasks@Types is optional too, and the samples have none
    assert source.built.skipped == {"Orders": "HTTP 404", "Tasks@Types": "HTTP 404"}


# ------------------------------------------------------------------ resume


def test_interrupted_pull_resumes_from_its_last_page(server, clock, tmp_path, offline):
    server.fail("Contacts", 4, "malformed", times=4)  # page 3 at 2 a page, 4 tries
    with client(server, clock, page_size=2) as c, pytest.raises(PageError) as err:
        c.pull(into=PageSet(tmp_path))
    assert str(err.value).startswith("Ploomes Contacts, page 3 ($skip=4): ")
    folder = PageSet(tmp_path)
    assert folder.page_numbers("Contacts") == [1, 2]
    assert "Deals" not in folder.entities()
    done_before = {e for e, _q, _h in server.requests}
    server.requests.clear()
    with client(server, clock, page_size=2) as c:
        pages = c.pull(into=PageSet(tmp_path))
    asked = [(e, q["$skip"]) for e, q, _h in server.requests]
    # finished entities are not asked again; Contacts goes on at $skip=4
    assert not [e for e, _s in asked if e in done_before - {"Contacts"}]
    assert [s for e, s in asked if e == "Contacts"] == ["4", "6"]
    ids = [r["Id"] for r in pages.records("Contacts")]
    assert len(ids) == len(set(ids)) == 7
    source = PloomesSource()
    assert (table_rows(source.tables(tmp_path)), source.issues) == offline


def test_a_folder_of_another_pull_is_refused(server, clock, tmp_path):
    with client(server, clock) as c:
        c.pull(["Users"], into=PageSet(tmp_path))
        with pytest.raises(ValueError, match="these pages come from another pull"):
            c.pull(["Users"], into=PageSet(tmp_path), since="2024-01-01T00:00:00Z")


def test_records_seen_twice_across_pages_count_once(tmp_path):
    from engine.sources.ploomes.pages import dump_page

    pages = PageSet(tmp_path)
    pages.add("Deals", 1, dump_page("Deals", [{"Id": 1}, {"Id": 2}]))
    # a record created while pulling shifted Id 2 onto the next page too
    pages.add("Deals", 2, dump_page("Deals", [{"Id": 2}, {"Id": 3}]))
    assert [r["Id"] for r in PageSet(tmp_path).records("Deals")] == [1, 2, 3]


# ------------------------------------------------------------------ delta


def test_delta_pull_asks_only_for_changed_records(server, clock):
    since = "2024-03-01T00:00:00-03:00"
    source = PloomesSource()
    tables = source.pull_tables(
        {"user_key": KEY},
        server.url,
        since=since,
        sleep=clock.sleep,
        monotonic=clock.now,
    )
    filters = {e: q.get("$filter") for e, q, _h in server.requests}
    assert filters["Deals"] == f"LastUpdateDate gt {since}"
    assert filters["Contacts"] == f"LastUpdateDate gt {since}"
    assert filters["Users"] is None and filters["Deals@Stages"] is None
    rows = table_rows(tables)
    assert [r["Contact ID"] for r in rows["people"]] == ["5101", "5104"]
    assert rows["companies"] == []
    assert [r["Deal ID"] for r in rows["deals"]] == ["7002", "7003", "7004"]
    assert [r["Task ID"] for r in rows["tasks"]] == ["9602", "9603"]
    assert len(rows["users"]) == 3 and len(rows["stages"]) == 7  # lookups whole
    # the people's companies are outside the delta: known by id, not reported
    assert rows["people"][0]["Parent Company ID"] == "5001"
    assert not [i for i in source.issues if i["kind"] == "people"]


def test_odata_datetime():
    import datetime as dt

    assert odata_datetime(dt.datetime(2024, 5, 1, 12, 30, 5, 999)) == (
        "2024-05-01T12:30:05Z"
    )
    aware = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-3)))
    assert odata_datetime(aware) == "2024-05-01T12:00:00Z"
    assert odata_datetime(dt.date(2024, 5, 1)) == "2024-05-01T00:00:00Z"
