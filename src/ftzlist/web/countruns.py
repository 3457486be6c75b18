"""Count runs in the background: uploaded export logs and a mapping go into a private folder,
`ftzlist.counting` counts them with the server's hash key, and the folder is deleted when the run
ends (done or failed). Progress is the share of the counter's stages finished. The result kept is
the `CountResult` (aggregates, keyed-hash prefixes, column labels), with file names as uploaded."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.orm import Session

from ftzlist.errors import InputError
from ftzlist.web.accounts import Principal
from ftzlist.web.models import CountRun
from ftzlist.web.workspace import NotFound, Upload, Workspace, known_id, renamed

ENCODINGS = ("utf-8", "gb18030", "gbk")
"""Text encodings offered for CSV and JSON Lines logs (Parquet and workbooks carry their own)."""
STAGES = ("read", "check_dates", "normalise", "rows", "link", "dims", "presence", "summaries", "crossings")
POLL_S = 0.3


def log_suffix(name: str) -> str | None:
    """The log's suffix as `ftzlist.counting` reads it (`.csv`, `.csv.gz`, `.parquet`, `.xlsx` ...),
    or None when counting cannot read the file."""
    from ftzlist.counting.sources import FORMATS

    parts = [p.lower() for p in Path(Path(name).name).suffixes][-2:]
    if parts and parts[-1] in (".gz", ".zst"):
        return "".join(parts) if len(parts) == 2 and FORMATS.get(parts[0]) in ("csv", "jsonl") else None
    return parts[-1] if parts and parts[-1] in FORMATS else None


class CountRuns:
    def __init__(self, ws: Workspace, workers: int = 1):
        self.ws = ws
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ftzlist-count")

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def start(
        self,
        title: str,
        as_of: dt.date,
        logs: list[Upload],
        mapping: Upload,
        who: Principal,
        *,
        encoding: str = "utf-8",
    ) -> int:
        """Check the uploads, keep them in a private folder and queue the run; returns its id."""
        if self.ws.settings.hash_key is None:
            raise InputError("counting is off: the server has no hash key (ftzlist serve --hash-key-file)")
        if not logs:
            raise InputError("logs: upload at least one export log")
        for up in logs:
            if log_suffix(up.filename) is None:
                raise InputError(
                    f"{Path(up.filename).name}: expected a .csv, .parquet, .jsonl or .xlsx log "
                    "(.csv.gz / .jsonl.gz too)"
                )
        if encoding not in ENCODINGS:
            raise InputError(f"encoding: one of {', '.join(ENCODINGS)}, not '{encoding}'")
        if Path(mapping.filename).suffix.lower() not in (".yaml", ".yml"):
            raise InputError(f"{Path(mapping.filename).name}: the mapping is a .yaml file")
        self.ws.settings.work_dir.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="count-", dir=self.ws.settings.work_dir))
        try:
            names: dict[str, str] = {}
            for n, up in enumerate(logs):
                target = folder / f"log-{n:03d}{log_suffix(up.filename)}"
                target.write_bytes(up.data)
                names[str(target)] = Path(up.filename).name
            (folder / "mapping.yaml").write_bytes(mapping.data)
            from ftzlist.counting import load_mapping

            try:
                load_mapping(folder / "mapping.yaml")
            except InputError as exc:
                raise renamed(exc, folder / "mapping.yaml", Path(mapping.filename).name) from None
            with self.ws.audited(who, "start_count") as s:
                run = CountRun(
                    title=title or "count",
                    as_of=as_of,
                    state="queued",
                    progress=0,
                    stage=None,
                    created_by=who.actor,
                    created_at=self.ws.clock(),
                )
                s.add(run)
                s.flush()
                run_id = run.id
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        self.pool.submit(self._run, run_id, folder, names, as_of, encoding)
        return run_id

    def _update(self, run_id: int, **values) -> None:
        with Session(self.ws.engine) as s, s.begin():
            run = s.get(CountRun, run_id)
            for k, v in values.items():
                setattr(run, k, v)

    def _run(self, run_id: int, folder: Path, names: dict[str, str], as_of: dt.date, encoding: str) -> None:
        from ftzlist.commands.count import threshold_lists
        from ftzlist.counting import expand, load_mapping
        from ftzlist.counting.engine import DuckDBEngine
        from ftzlist.counting.pipeline import CountRun as Counter

        engine = None
        try:
            self._update(run_id, state="running", stage=STAGES[0])
            law = self.ws.law
            counter_engine = engine = DuckDBEngine()
            counter = Counter(
                counter_engine,
                expand([str(p) for p in sorted(folder.glob("log-*"))], encoding=encoding),
                load_mapping(folder / "mapping.yaml"),
                as_of=as_of,
                key=self.ws.settings.hash_key or b"",
                lists=threshold_lists(law, as_of, None),
                vocabulary=law.vocabulary,
            )
            done = threading.Event()
            watcher = threading.Thread(target=self._watch, args=(run_id, counter, done), daemon=True)
            watcher.start()
            try:
                result = counter.run()
            finally:
                done.set()
                watcher.join()
            data = result.model_dump(mode="json")
            data["quality"]["files"] = [names.get(f, Path(f).name) for f in data["quality"]["files"]]
            self._update(
                run_id, state="done", progress=100, stage=None, result=data, finished_at=self.ws.clock()
            )
        except InputError as exc:
            message = exc.render().replace(str(folder) + "/", "")
            for tmp, shown in names.items():
                message = message.replace(Path(tmp).name, shown)
            self._update(run_id, state="failed", stage=None, message=message, finished_at=self.ws.clock())
        except Exception as exc:  # a crash in a background run must still end the run visibly
            self._update(
                run_id,
                state="failed",
                stage=None,
                message=f"internal error: {type(exc).__name__}",
                finished_at=self.ws.clock(),
            )
        finally:
            if engine is not None:
                engine.close()
            shutil.rmtree(folder, ignore_errors=True)

    def _watch(self, run_id: int, counter, done: threading.Event) -> None:
        last = -1
        while not done.wait(POLL_S):
            finished = len(counter.timings)
            if finished != last:
                last = finished
                stage = STAGES[min(finished, len(STAGES) - 1)]
                self._update(run_id, progress=min(99, round(100 * finished / len(STAGES))), stage=stage)

    def get(self, run_id: int) -> CountRun:
        known_id("count run", run_id)
        with Session(self.ws.engine, expire_on_commit=False) as s:
            run = s.get(CountRun, run_id)
        if run is None:
            raise NotFound(f"no count run #{run_id}")
        return run

    def all(self) -> list[CountRun]:
        from sqlalchemy import select

        with Session(self.ws.engine, expire_on_commit=False) as s:
            return list(s.scalars(select(CountRun).order_by(CountRun.id.desc()).limit(100)))
