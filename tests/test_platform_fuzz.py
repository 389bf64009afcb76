"""Fuzz the platform against its own contract, ``docs/sync-openapi.yaml`` (schemathesis).

A real platform process on loopback (SQLite and PostgreSQL), seeded with 青浦's secrets (a note,
a file, a transfer, a serial block). Every operation of the OpenAPI file gets requests built from
the schema (valid ones and deliberately invalid ones) with four kinds of token: 青浦's own, another
agency's (吴江), a revoked one and none. Each answer must be documented there (status, content
type, body schema, headers) and never a 5xx; no answer to anyone but 青浦 may contain its
secrets; a revoked or missing token gets 401 everywhere but /v1/hello and /v1/health; and for 吴江, asking for
青浦's transfer or file answers exactly like asking for one that does not exist (no oracle).

Bounded: a fixed number of examples per operation, mode and token (no shrinking, no example
database), so the whole module runs in well under two minutes on this machine.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks

from tests.sync_fixtures import BACKENDS, PlatformProcess, platform_database
from tests.test_sync import QP, WJ, _auth, _entry

SPEC = Path(__file__).resolve().parents[1] / "docs" / "sync-openapi.yaml"
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
#: Examples per operation and generation mode: more for the token that can reach the data.
EXAMPLES = {"own": 12, "foreign": 8, "revoked": 3, "missing": 3}


class Seeded:
    """A platform with 青浦's secrets and the four tokens."""

    def __init__(self, proc: PlatformProcess) -> None:
        self.proc = proc
        qp = proc.add_officer(QP, "张伟", "1")
        wj = proc.add_officer(WJ, "沈建明", "2")
        gone = proc.add_officer(QP, "离职", "3")
        proc.admin("revoke", gone["token_id"])
        self.tokens: dict[str, str | None] = {
            "own": qp["token"],
            "foreign": wj["token"],
            "revoked": gone["token"],
            "missing": None,
        }
        marker = f"机密{uuid.uuid4().hex[:8]}"
        data = f"青浦的证据 {marker}".encode()
        self.sha = hashlib.sha256(data).hexdigest()
        self.tid = str(uuid.uuid4())
        send = _entry(
            "transfer",
            "send",
            {
                "id": self.tid,
                "kind": "case",
                "to_agency": "320583",
                "document_number": f"{marker}号",
                "blobs": [self.sha],
            },
            blobs=[self.sha],
        )
        with httpx.Client(base_url=proc.url, headers=_auth(qp)) as c:
            r = c.put(
                f"/v1/blobs/{self.sha}",
                content=data,
                headers={"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"},
            )
            assert r.status_code == 201
            note = _entry("note", "create", {"text": marker})
            results = c.post("/v1/push", json={"entries": [note, send]}).json()["results"]
            assert [r["status"] for r in results] == ["stored", "stored"]
            block = {"request_id": marker, "doc_type": "移", "year": 2026}
            assert c.post("/v1/serial-blocks", json=block).status_code == 200
        self.secrets = [marker, self.sha, self.tid]


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Seeded]:
    with platform_database(request.param) as db:
        proc = PlatformProcess(tmp_path_factory.mktemp("fuzz") / "platform", db=db)
        try:
            yield Seeded(proc)
        finally:
            proc.stop()


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_path(SPEC)
    return [result.ok() for result in schema.get_all_operations()]


OPERATIONS = _operations()


def _send(case: Any, seeded: Seeded, token: str | None) -> Any:
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = headers
    if token:
        case.headers["Authorization"] = f"Bearer {token}"
    return case.call(base_url=seeded.proc.url, timeout=30)


def _no_oracle(case: Any, seeded: Seeded, token: str | None, answer: Any) -> None:
    """Ask again for 青浦's transfer or file instead of the generated one: same answer."""
    params = dict(case.path_parameters or {})
    if case.method != "GET" or not params or answer.status_code == 400:
        return  # (a malformed id is refused for its form, whoever holds what)
    theirs = seeded.tid if "id" in params else seeded.sha
    key = "id" if "id" in params else "sha256"
    if not isinstance(params.get(key), str) or params[key] == theirs:
        return
    asked = params[key]
    case.path_parameters = {**params, key: theirs}
    again = _send(case, seeded, token)
    assert again.status_code == answer.status_code, (case.path, asked)
    assert _masked(again, theirs) == _masked(answer, asked), (case.path, asked)


def _masked(response: Any, ident: str) -> Any:
    """The answer with the id it was asked about (echoed back as a value) replaced."""
    try:
        body = response.json()
    except ValueError:
        return response.content
    if isinstance(body, dict):
        return {k: "<id>" if v == ident else v for k, v in body.items()}
    return body


@pytest.mark.parametrize("kind", list(EXAMPLES))
@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{o.method.upper()} {o.path}" for o in OPERATIONS]
)
def test_contract_fuzz(seeded: Seeded, operation: Any, kind: str) -> None:
    token = seeded.tokens[kind]
    public = operation.path in ("/v1/hello", "/v1/health")  # neither reveals any data

    def one(case: Any) -> None:
        answer = _send(case, seeded, token)
        case.validate_response(answer, checks=CHECKS)
        if kind in ("revoked", "missing") and not public:
            assert answer.status_code == 401, (case.method, case.path, answer.status_code)
        if kind != "own":
            sent = repr(case.path_parameters) + repr(case.query) + repr(case.body)
            leaked = [s for s in seeded.secrets if s in answer.text and s not in sent]
            assert not leaked, (case.method, case.path, leaked)
        if kind == "foreign":
            _no_oracle(case, seeded, token, answer)

    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    if operation.path == "/v1/health":
        modes = modes[:1]  # no parameter, body or token: nothing a request could get wrong
    for mode in modes:
        strategy = operation.as_strategy(generation_mode=mode)
        run = settings(
            max_examples=EXAMPLES[kind],
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(case=strategy)(one))
        run()
