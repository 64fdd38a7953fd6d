"""A Ploomes answer that is not JSON and repeats the User-Key it was sent (a
gateway's or a debug page) never puts the key in the error, nor in an error it
chains."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from engine.sources.ploomes.client import PloomesClient
from engine.sources.ploomes.pages import PageError

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "samples" / "ploomes"
_spec = importlib.util.spec_from_file_location(
    "ploomes_server", HERE / "ploomes_server.py"
)
ploomes_server = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ploomes_server)
KEY = ploomes_server.KEY


class EchoingServer(ploomes_server.PloomesServer):
    def answer(self, handler):
        status, headers, body = super().answer(handler)
        if status == 200:
            sent = handler.headers.get("User-Key", "")
            body = f"{sent} <html>maintenance</html>".encode()
        return status, headers, body


def _chain(exc):
    while exc is not None:
        yield exc
        exc = exc.__cause__ or exc.__context__


def test_a_page_echoing_the_key_is_an_error_without_it():
    pages = ploomes_server.PloomesServer.from_pages(SAMPLES)
    with EchoingServer(pages.records, slow=0.1) as server:
        with PloomesClient(KEY, server.url, timeout=5, backoff_factor=0) as client:
            with pytest.raises(PageError) as caught:
                client.fetch_page("Deals", 1, 0)
    texts = [f"{e!s} {e!r} {vars(e)!r}" for e in _chain(caught.value)]
    assert "maintenance" in texts[0]  # how the body starts is still shown
    assert not [t for t in texts if KEY in t]
