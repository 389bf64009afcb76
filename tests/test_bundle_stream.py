"""A USB bundle carrying a recording: written and read member by member in 1 MiB pieces, each
file's SHA-256 checked on the way; a bundle torn in the middle of the recording is refused whole.

Flat memory itself is measured by ``benchmarks/bundle_memory.py`` (peak RSS for a 1 GB
recording); here the bytes and the refusals are checked on a real platform.
"""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.platform.bundle_import import BundleError, import_bundle
from tests.recordings import body_cam_mp4
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import _officer, _run
from tests.test_sync_recordings import QP

PAD = 32 << 20  # far more than the pieces streamed (1 MiB), far less than a real recording


def _padded_recording(path: Path) -> Path:
    """A real MP4 followed by a 32 MiB ``free`` box of incompressible bytes."""
    body_cam_mp4(path, seconds=3.0)
    block = os.urandom(1 << 20)
    with path.open("ab") as f:
        f.write((PAD + 8).to_bytes(4, "big") + b"free")
        for k in range(PAD >> 20):
            f.write(block[k:] + block[:k])
    return path


def _peak(call: Any) -> tuple[Any, int]:
    """``call()``'s result and the most memory Python held at once while it ran."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _officer_with_recording(tmp_path: Path) -> tuple[Path, str]:
    from officer_app.services import evidence_import
    from officer_app.services.context import AppContext

    data = _officer(tmp_path, "张伟", "31011800123", QP)
    video = _padded_recording(tmp_path / "card" / "VID_0001.MP4")
    with AppContext.open(data) as ctx:
        [outcome] = evidence_import.import_files(ctx, [video]).files
        assert outcome.outcome == "imported"
    return data, hashlib.sha256(video.read_bytes()).hexdigest()


def test_recording_bundle_round_trip_and_torn_in_the_recording(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    platform.add_officer(QP, "张伟", "31011800123")
    data, sha = _officer_with_recording(tmp_path)
    bundle = tmp_path / "usb" / "qp.bundle"
    (code, out), peak = _peak(lambda: _run(capsys, data, "bundle", "export", "--out", str(bundle)))
    assert code == 0, out
    assert peak < PAD // 4  # the recording never held whole (it was, before streaming)
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo(f"blobs/{sha}")
        assert info.compress_type == zipfile.ZIP_STORED and info.file_size > PAD
        assert hashlib.sha256(zf.read(info)).hexdigest() == sha  # an ordinary ZIP reader agrees
        offset = info.header_offset
    # Torn in the middle of the recording (the stick pulled while copying): refused, nothing
    # published, no temporary file left on the platform.
    torn = bundle.with_name("torn.bundle")
    torn.write_bytes(bundle.read_bytes()[: offset + PAD // 2])
    with pytest.raises(BundleError) as err:
        import_bundle(platform.root, torn, platform.db)
    assert "拒收" in err.value.message_zh
    # A byte of the recording altered inside an intact ZIP: the streamed hash catches it.
    altered = bundle.with_name("altered.bundle")
    raw = bytearray(bundle.read_bytes())
    raw[offset + PAD // 2] ^= 0xFF
    altered.write_bytes(bytes(raw))
    with pytest.raises(BundleError) as err:
        import_bundle(platform.root, altered, platform.db)
    assert sha[:12] in err.value.detail or "blobs/" in err.value.message_zh
    assert int(platform.scalar("SELECT count(*) FROM entries")) == 0
    assert not [p for p in platform.root.rglob("*") if p.is_file() and sha in p.name]

    result, peak = _peak(lambda: import_bundle(platform.root, bundle, platform.db))
    assert peak < PAD // 4
    assert result["stored"] == out["entries"] and not result["refused"]
    [stored] = [p for p in platform.root.rglob(f"*{sha}*") if p.is_file()]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
    assert not list(platform.root.rglob("*.import"))
