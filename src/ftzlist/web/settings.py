"""What a deployment of the workspace is configured with. The CLI (`ftzlist serve`) builds it from
its options and environment; nothing below the CLI reads the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MiB = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    """`db_url`: the register (any SQLAlchemy URL). `work_dir`: where uploads wait while they are
    parsed or counted (deleted after use). `hash_key`: the HMAC key for counting (None = counting
    disabled). `secure_cookies`: mark cookies Secure (behind HTTPS). `lists`/`calendars`: extra
    list files and calendar folders, as on the CLI."""

    db_url: str
    work_dir: Path
    hash_key: bytes | None = None
    secure_cookies: bool = False
    max_upload_bytes: int = 20 * MiB
    max_log_upload_bytes: int = 500 * MiB
    lists: tuple[Path, ...] = ()
    calendars: tuple[Path, ...] = field(default_factory=tuple)
    count_workers: int = 1
