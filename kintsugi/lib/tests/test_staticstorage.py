from __future__ import annotations

import json
from pathlib import Path

from django.test import override_settings

from kintsugi.lib.staticstorage import StaticStorage


def storage(tmp_path: Path) -> StaticStorage:
    manifest = {"paths": {"css/kintsugi.css": "css/kintsugi.0123abcd.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=str(tmp_path), base_url="/static/")


def test_a_url_is_the_manifests_and_is_worked_out_once(tmp_path: Path) -> None:
    static = storage(tmp_path)
    assert static.url("css/kintsugi.css") == "/static/css/kintsugi.0123abcd.css"
    static.hashed_files["css/kintsugi.css"] = "css/kintsugi.changed.css"
    assert static.url("css/kintsugi.css") == "/static/css/kintsugi.0123abcd.css"


@override_settings(DEBUG=True)
def test_while_debugging_the_storage_is_asked_every_time(tmp_path: Path) -> None:
    assert storage(tmp_path).url("css/kintsugi.css") == "/static/css/kintsugi.css"
