from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import Settings


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """Photos go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _public_settings(settings: Settings, media: Path) -> None:
    """Links are built on a fixed site address; the limits are the defaults, whatever the environment says."""
    settings.SITE_URL = "https://care.example"
    settings.PUBLIC_FORM_LIMIT_PER_IP = "10/600"
    settings.PUBLIC_FORM_LIMIT_PER_TOUCHPOINT = "300/600"
    settings.PUBLIC_STATUS_LIMIT_PER_LINK = "30/3600"


def stored_files(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())
