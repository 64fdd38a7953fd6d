"""python -m engine profile|propose: output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "generic"


def run(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_propose_samples_subprocess():
    proc = run("propose", "samples/generic")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert proc.stderr == ""
    for name in ("== companies.csv", "== contacts.csv", "== deals.xlsx"):
        assert name in out
    assert "object: company (res.partner)" in out
    assert "object: contact (res.partner)" in out
    assert "object: lead (crm.lead)" in out
    assert "key: Record ID:" in out
    assert "key: Contact ID:" in out
    assert "key: (none):" in out
    assert "40 rows, 17 columns" in out and "120 rows, 13 columns" in out
    assert "80 rows, 10 columns" in out
    assert "Employees      -> x_employees (integer)" in out
    assert "Newsletter -> x_newsletter (boolean)" in out
    assert "Contact Email -> partner_email" in out
    assert "[vat_br]" in out
    assert "zoe.moreira@pescadosmarealtaservicos.com.br  lines 5, 50" in out


def test_profile_in_process(capsys):
    assert main(["profile", str(SAMPLES)]) == 0
    out = capsys.readouterr().out
    assert "== contacts.csv  (csv, cp1252, semicolon)" in out
    assert "Newsletter" in out and "boolean" in out
    assert "--- proposals" not in out


def test_json_output(capsys):
    assert main(["propose", str(SAMPLES / "deals.xlsx"), "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["table"] == "deals.xlsx" and entry["rows"] == 80
    assert entry["object"]["target"] == "lead"
    assert entry["key"]["column"] is None
    fields = {f["column"]: f["field"] for f in entry["fields"]}
    assert fields["Amount"] == "expected_revenue"
    assert main(["profile", str(SAMPLES / "companies.csv"), "--json"]) == 0
    (prof,) = json.loads(capsys.readouterr().out)
    assert prof["rows"] == 40


def test_bad_path_exit_2():
    proc = run("propose", "no/such/folder")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == "error: no/such/folder: no such file or folder"
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.csv", b""),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("pic.png", b"\x89PNG\r\n\x1a\n\0\0"),
    ],
)
def test_bad_file_exit_2(tmp_path, capsys, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["profile", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and name in err
    assert len(err.splitlines()) == 1


def test_bad_file_in_a_folder_exit_2(tmp_path, capsys):
    (tmp_path / "ok.csv").write_text("Name,Email\nAna,ana@x.com\n")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook at all")
    assert main(["propose", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "broken.xlsx" in err and len(err.strip().splitlines()) == 1


def test_empty_folder_and_unknown_system(tmp_path, capsys):
    assert main(["propose", str(tmp_path)]) == 2
    assert "no readable" in capsys.readouterr().err
    assert main(["propose", str(SAMPLES), "--system", "nope"]) == 2
    assert "unknown source system" in capsys.readouterr().err


def test_usage_errors_exit_2():
    proc = run()
    assert proc.returncode == 2
    assert "usage:" in proc.stderr
