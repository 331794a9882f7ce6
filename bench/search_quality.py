"""``make search-quality``: does search find what citizens mean?

Realistic citizen queries against the demo catalogue (``catalog/demo_data``), each with the
procedure it means, in four kinds: a procedure's name typed without diacritics, a name with
one typo, an everyday phrasing, an abbreviation. For each database (a throwaway SQLite file,
and a throwaway PostgreSQL database when a server answers) the catalogue is imported, every
query searched through ``catalog.selectors.search_procedures`` as the portal and the API do,
and top-1, top-3 and mean reciprocal rank printed per kind, with every miss.

Targets (issue 8): names and names with a typo first every time; everyday phrasings and
abbreviations in the first three at least 9 times in 10. Exit status 1 when one is missed.
``tests/catalog/test_search_quality.py`` holds the suite to the same targets.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field

NAME, TYPO, EVERYDAY, ABBREVIATION = "tên không dấu", "tên gõ sai", "cách nói thường", "viết tắt"

# (kind, what the citizen types, the procedure code they mean)
QUERIES: list[tuple[str, str, str]] = [
    (NAME, "dang ky khai sinh", "1.001193"),
    (NAME, "dang ky ket hon", "1.000894"),
    (NAME, "dang ky khai tu", "1.000656"),
    (NAME, "cap giay xac nhan tinh trang hon nhan", "1.004873"),
    (NAME, "cap ban sao trich luc ho tich", "2.000635"),
    (NAME, "dang ky lai khai sinh", "1.004884"),
    (NAME, "dang ky nhan cha me con", "1.001022"),
    (NAME, "chung thuc di chuc", "2.001019"),
    (NAME, "cap ban sao tu so goc", "2.000908"),
    (NAME, "dang ky thanh lap ho kinh doanh", "1.001612"),
    (NAME, "cham dut hoat dong ho kinh doanh", "1.001266"),
    (NAME, "dang ky thanh lap doanh nghiep tu nhan", "2.001610"),
    (NAME, "cap giay phep ban le ruou", "2.000620"),
    (NAME, "cap giay phep ban le san pham thuoc la", "2.000181"),
    (NAME, "thanh lap hoi", "1.013703"),
    (NAME, "dang ky hoat dong tin nguong", "1.012592"),
    (NAME, "cap the huong dan vien du lich noi dia", "1.004623"),
    (NAME, "tham dinh bao cao danh gia tac dong moi truong", "1.010733"),
    (NAME, "giay phep xay dung", "1.013225"),
    (NAME, "cap giay phep xay dung", "1.013225"),
    (NAME, "gia han giay phep xay dung", "1.013227"),
    (NAME, "cap lai giay phep xay dung", "1.013228"),
    (NAME, "chuyen truong doi voi hoc sinh trung hoc pho thong", "2.002478"),
    (NAME, "cap giay phep moi truong", "1.010727"),
    (NAME, "thong bao to chuc le hoi cap xa", "1.003622"),
    (NAME, "cap phieu ly lich tu phap", "3.000333"),
    (NAME, "cap ban sao van bang chung chi tu so goc", "2.001914"),
    (TYPO, "dang ky khai snih", "1.001193"),
    (TYPO, "dang ky ket hno", "1.000894"),
    (TYPO, "giay phep xay dugn", "1.013225"),
    (TYPO, "chung thuc chu kyy", "2.000884"),
    (TYPO, "cap giay phep kinh doanh dich vu karaok", "1.001029"),
    (TYPO, "phieu ly lich tu phsp", "3.000333"),
    (TYPO, "cap chung chi hanh nghe duox", "1.004616"),
    (TYPO, "cap giay phep kinh doanh dich vu lu hahn noi dia", "1.004628"),
    (TYPO, "dang ky tam ngng kinh doanh", "1.001570"),
    (TYPO, "chung thuc di chuv", "2.001019"),
    (TYPO, "thanh lap hoo", "1.013703"),
    (EVERYDAY, "xin giay phep xay nha", "1.013225"),
    (EVERYDAY, "lam giay khai sinh cho con", "1.001193"),
    (EVERYDAY, "cong chung ban sao", "2.000815"),
    (EVERYDAY, "giay xac nhan doc than", "1.004873"),
    (EVERYDAY, "xin giay doc than", "1.004873"),
    (EVERYDAY, "lam giay chung tu", "1.000656"),
    (EVERYDAY, "cong chung chu ky", "2.000884"),
    (EVERYDAY, "mo quan karaoke", "1.001029"),
    (EVERYDAY, "mo cong ty tu nhan", "2.001610"),
    (EVERYDAY, "chuyen truong cho con cap 3", "2.002478"),
    (EVERYDAY, "tam nghi kinh doanh", "1.001570"),
    (EVERYDAY, "lam di chuc", "2.001019"),
    (EVERYDAY, "sao bang tot nghiep", "2.001914"),
    (EVERYDAY, "xin phep ban ruou", "2.000620"),
    (EVERYDAY, "lam the huong dan vien du lich", "1.004623"),
    (EVERYDAY, "the bao hiem y te cho tre em", "3.000722"),
    (EVERYDAY, "cong nhan bang tot nghiep nuoc ngoai", "1.004889"),
    (EVERYDAY, "chung thuc hop dong mua ban nha", "2.001035"),
    (EVERYDAY, "nuoi ca long be", "1.014801"),
    (EVERYDAY, "ban thuoc la", "2.000181"),
    (EVERYDAY, "tien mai tang phi", "2.002913"),
    (EVERYDAY, "treo bang ron quang cao", "1.004650"),
    (EVERYDAY, "dang ky cuoi", "1.000894"),
    (EVERYDAY, "xin giay phep moi truong", "1.010727"),
    (ABBREVIATION, "gpxd", "1.013225"),
    (ABBREVIATION, "xin GPXD nhà ở", "1.013225"),
    (ABBREVIATION, "ĐTM", "1.010733"),
    (ABBREVIATION, "bhyt cho tre em", "3.000722"),
    (ABBREVIATION, "lam cccd cho tre duoi 6 tuoi", "3.000722"),
    (ABBREVIATION, "chuyen truong thpt", "2.002478"),
    (ABBREVIATION, "ĐKKD hộ kinh doanh", "1.001612"),
    (ABBREVIATION, "QSDĐ", "2.001035"),
    (ABBREVIATION, "chung thuc giao dich qsdd", "2.001035"),
    (ABBREVIATION, "LLTP", "3.000333"),
    (ABBREVIATION, "CCHN duoc", "1.004616"),
    (ABBREVIATION, "cong nhan bang tot nghiep THPT nuoc ngoai", "1.004889"),
]

TARGETS = {NAME: ("top1", 1.0), TYPO: ("top1", 1.0), EVERYDAY: ("top3", 0.9)}
TARGETS[ABBREVIATION] = ("top3", 0.9)


@dataclass
class Score:
    queries: int = 0
    top1: int = 0
    top3: int = 0
    reciprocal: float = 0.0
    misses: list[str] = field(default_factory=list)

    def share(self, what: str) -> float:
        return getattr(self, what) / self.queries if self.queries else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.queries if self.queries else 0.0


def evaluate(search) -> dict[str, Score]:
    """``search(q)`` → procedure codes best first. Scores per kind and over all queries."""
    scores = {kind: Score() for kind in (NAME, TYPO, EVERYDAY, ABBREVIATION, "tổng")}
    for kind, query, code in QUERIES:
        found = search(query)
        rank = found.index(code) + 1 if code in found else None
        for score in (scores[kind], scores["tổng"]):
            score.queries += 1
            score.top1 += rank == 1
            score.top3 += rank is not None and rank <= 3
            score.reciprocal += 1 / rank if rank else 0.0
        if rank != 1:
            place = f"hạng {rank}" if rank else "không có"
            scores[kind].misses.append(
                f"{kind}: «{query}» → {code} {place}; đầu danh sách: {', '.join(found[:3]) or '—'}"
            )
    return scores


def failures(scores: dict[str, Score]) -> list[str]:
    failed = []
    for kind, (what, target) in TARGETS.items():
        if scores[kind].share(what) < target:
            failed.append(f"{kind}: {what} {scores[kind].share(what):.0%} < {target:.0%}")
    return failed


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'loại':<18} {'số câu':>6} {'top-1':>7} {'top-3':>7} {'MRR':>6}"]
    for kind, s in scores.items():
        lines.append(
            f"{kind:<18} {s.queries:>6} {s.share('top1'):>7.0%} {s.share('top3'):>7.0%} "
            f"{s.mrr:>6.3f}"
        )
    return "\n".join(lines)


def load_demo_catalogue() -> None:
    import json
    from importlib import resources

    from motcua.catalog import services

    def load(name):
        text = resources.files("motcua.catalog").joinpath("demo_data", name).read_text("utf-8")
        return json.loads(text)

    services.load_administrative_units()
    services.import_catalogue(load("agencies.json"))
    services.import_catalogue(load("procedures.json"))


def search_codes(q: str) -> list[str]:
    from motcua.catalog.selectors import search_procedures

    return [v.procedure.code for v in search_procedures(q=q)]


def _run_one(database_url: str, data_dir: str) -> int:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=database_url,
        MOTCUA_DATA_DIR=data_dir,
        MOTCUA_DEBUG="0",
        MOTCUA_LOG_LEVEL="WARNING",
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    load_demo_catalogue()
    scores = evaluate(search_codes)
    print(table(scores))
    for kind in (NAME, TYPO, EVERYDAY, ABBREVIATION):
        for miss in scores[kind].misses:
            print(f"  trượt {miss}")
    failed = failures(scores)
    print("mục tiêu: " + ("ĐẠT" if not failed else "KHÔNG ĐẠT — " + "; ".join(failed)))
    return 1 if failed else 0


def _postgres_server() -> str | None:
    """The PostgreSQL server to use, or None when none answers."""
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
    try:
        import psycopg

        psycopg.connect(f"{url}/postgres", connect_timeout=3).close()
    except Exception:
        return None
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_quality")
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.database:
        return _run_one(args.database, args.data_dir)
    status = 0
    with tempfile.TemporaryDirectory(prefix="motcua-search-quality-") as data_dir:
        targets = [("SQLite", f"sqlite:///{data_dir}/search.sqlite3", None)]
        server = _postgres_server()
        if server:
            name = f"motcua_search_quality_{uuid.uuid4().hex[:8]}"
            targets.append(("PostgreSQL", f"{server}/{name}", (server, name)))
        else:
            print("PostgreSQL không trả lời: chỉ đo trên SQLite.")
        for label, url, pg in targets:
            print(f"\n== Chất lượng tìm kiếm trên {label} ({len(QUERIES)} câu hỏi) ==", flush=True)
            if pg:
                _admin(pg[0], f'CREATE DATABASE "{pg[1]}"')
            try:
                status |= subprocess.call(
                    [sys.executable, "-m", "bench.search_quality", "--database", url]
                    + ["--data-dir", data_dir]
                )
            finally:
                if pg:
                    _admin(pg[0], f'DROP DATABASE IF EXISTS "{pg[1]}" WITH (FORCE)')
    return status


def _admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(statement)


if __name__ == "__main__":
    sys.exit(main())
