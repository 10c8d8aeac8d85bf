#!/usr/bin/env python3
"""Replays SQL recorded against ClickHouse 18.16 on chDB (a current ClickHouse, in-process) and compares.

Input: one or more JSON-lines recordings written by warehouse/client.ts (WAYPOINT_RECORD_SQL):
  {"kind": "command", "database", "sql"}
  {"kind": "insert",  "database", "table", "rows": [objects]}   or   "lines": "JSONEachRow text"
  {"kind": "query",   "database", "sql", "rows": [objects as 18.16 returned them]}
Statements run in file order, each in the database it ran in on 18.16. Every statement must be
accepted; every query must return the same rows (see rows_differ for what "same" means).
Exit status: 0 all conformed, 1 a statement was rejected or a result differed, 2 nothing to replay.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field

# Floats are compared with math.isclose: summation order differs between versions, so a sum or an
# average may move in its last bits; anything beyond 1e-9 relative is a real difference. The
# absolute floor catches results that cancel to ~0 on one server and exactly 0 on the other.
FLOAT_REL_TOL = 1e-9
FLOAT_ABS_TOL = 1e-12

# Queries whose answer legitimately differs between two servers or two runs: they must still be
# accepted, but their rows are not compared. Matched on the SQL with literals and comments removed.
NOT_COMPARED = re.compile(
    r"\b(?:now|today|yesterday|rand|rand32|rand64|randConstant|generateUUIDv4|version|uptime|hostName"
    r"|serverUUID|timezone|currentUser|queryID)\s*\("
    r"|\bsystem\s*\.",
    re.IGNORECASE,
)

INTEGER_TEXT = re.compile(r"-?\d+\Z")
MAX_SQL_SHOWN = 600

# Settings that make chDB answer like the 18.16 server the recording came from: UTC (the server
# and the tests run in UTC), 64-bit integers quoted in JSON (both servers' default; chDB's
# embedded default differs), and mutations applied before the next statement (the tests wait
# for them on 18.16, so the replay must see them done too).
SESSION_SETTINGS = (
    "SET session_timezone = 'UTC'",
    "SET output_format_json_quote_64bit_integers = 1",
    "SET mutations_sync = 2",
)


@dataclass
class Entry:
    source: str  # "file:line", how a failure names the statement
    kind: str
    database: str
    sql: str | None = None
    table: str | None = None
    rows: list | None = None
    lines: str | None = None


@dataclass
class Tally:
    statements: int = 0
    commands: int = 0
    inserts: int = 0
    inserted_rows: int = 0
    queries: int = 0
    compared: int = 0
    not_compared: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)


class RecordingError(Exception):
    pass


def read_recording(path: str) -> list[Entry]:
    entries: list[Entry] = []
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            if not text.strip():
                continue
            source = f"{path}:{number}"
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as e:
                raise RecordingError(f"{source}: not JSON ({e})") from e
            kind = raw.get("kind")
            if kind not in ("command", "insert", "query") or not isinstance(raw.get("database"), str):
                raise RecordingError(f"{source}: expected kind command/insert/query and a database, got {text[:200]}")
            if kind == "insert" and not isinstance(raw.get("table"), str):
                raise RecordingError(f"{source}: insert without a table")
            if kind != "insert" and not isinstance(raw.get("sql"), str):
                raise RecordingError(f"{source}: {kind} without sql")
            if kind == "query" and not isinstance(raw.get("rows"), list):
                raise RecordingError(f"{source}: query without rows")
            entries.append(
                Entry(source, kind, raw["database"], raw.get("sql"), raw.get("table"), raw.get("rows"), raw.get("lines"))
            )
    return entries


# ---------------------------------------------------------------------------------------------
# Reading SQL: literals and comments removed, then what is at parenthesis depth 0.

_TOKEN = re.compile(r"'(?:\\.|''|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`((?:\\.|``|[^`\\])*)`|--[^\n]*|/\*.*?\*/", re.S)


def strip_literals(sql: str) -> str:
    """SQL with string literals blanked, comments removed and back-quoted names unquoted."""

    def replace(m: re.Match) -> str:
        token = m.group(0)
        if token.startswith("`"):
            return m.group(1)
        if token.startswith(("--", "/*")):
            return " "
        return "''"

    return _TOKEN.sub(replace, sql)


def top_level(sql: str) -> str:
    depth = 0
    out = []
    for ch in strip_literals(sql):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def is_ordered(sql: str) -> bool:
    """A result's order is part of the answer only if the outer query says ORDER BY (and is no UNION)."""
    outer = top_level(sql)
    return bool(re.search(r"\border\s+by\b", outer, re.I)) and not re.search(r"\bunion\b", outer, re.I)


def is_compared(sql: str) -> bool:
    return not NOT_COMPARED.search(strip_literals(sql))


# ---------------------------------------------------------------------------------------------
# Comparing rows.


def normalise(value):
    """64-bit integers arrive quoted ("42") or bare (42) depending on the server's settings."""
    if isinstance(value, str) and INTEGER_TEXT.match(value):
        return int(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def values_equal(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        return math.isclose(a, b, rel_tol=FLOAT_REL_TOL, abs_tol=FLOAT_ABS_TOL)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(values_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k]) for k in a)
    return a == b


def sort_key(value) -> str:
    """A key that sorts equal rows together; floats are coarsened so that near-equal ones do too."""
    if isinstance(value, float):
        return "n" + format(value, ".6g")
    if isinstance(value, int):
        return "n" + format(float(value), ".6g")
    if isinstance(value, list):
        return "[" + ",".join(sort_key(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{sort_key(value[k])}" for k in sorted(value)) + "}"
    return "s" + json.dumps(value, ensure_ascii=False)


def show(row) -> str:
    text = json.dumps(row, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 300 else text[:300] + "…"


def rows_differ(expected: list, actual: list, ordered: bool) -> str | None:
    """None when the results conform; otherwise what differs, in a sentence or two."""
    exp = [normalise(r) for r in expected]
    act = [normalise(r) for r in actual]
    if len(exp) != len(act):
        detail = f"18.16 returned {len(exp)} rows, chDB {len(act)}"
        if exp:
            detail += f"; 18.16 first row {show(exp[0])}"
        if act:
            detail += f"; chDB first row {show(act[0])}"
        return detail
    if ordered:
        for i, (e, a) in enumerate(zip(exp, act)):
            if not values_equal(e, a):
                hint = ""
                if rows_differ(expected, actual, ordered=False) is None:
                    hint = " (same rows in another order: make the ORDER BY total)"
                return f"row {i} differs{hint}: 18.16 {show(e)} vs chDB {show(a)}"
        return None
    exp_sorted = sorted(exp, key=sort_key)
    act_sorted = sorted(act, key=sort_key)
    if all(values_equal(e, a) for e, a in zip(exp_sorted, act_sorted)):
        return None
    # Floats near a rounding boundary can sort apart; match greedily before calling it a difference.
    unmatched = list(act_sorted)
    for e in exp_sorted:
        for j, a in enumerate(unmatched):
            if values_equal(e, a):
                del unmatched[j]
                break
        else:
            closest = unmatched[0] if unmatched else None
            return f"18.16 row {show(e)} has no equal in chDB's answer (e.g. {show(closest)})"
    return None


# ---------------------------------------------------------------------------------------------
# Replaying.


def quote_ident(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def insert_sql(entry: Entry) -> tuple[str, int]:
    if entry.lines is not None:
        body = entry.lines
        count = sum(1 for line in body.splitlines() if line.strip())
    else:
        rows = entry.rows or []
        body = "\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
        count = len(rows)
    return f"INSERT INTO {quote_ident(entry.table or '')} FORMAT JSONEachRow\n{body}", count


def describe(entry: Entry) -> str:
    if entry.kind == "insert":
        return f"INSERT INTO {entry.table} ({len(entry.rows or []) or 'lines'} rows)"
    sql = " ".join((entry.sql or "").split())
    return sql if len(sql) <= MAX_SQL_SHOWN else sql[:MAX_SQL_SHOWN] + "…"


def replay(entries: list[Entry], session, tally: Tally) -> None:
    current = None
    broken: dict[str, str] = {}  # database -> the DDL or insert that failed there; later statements are skipped
    for entry in entries:
        if entry.database in broken:
            tally.skipped += 1
            continue
        tally.statements += 1
        try:
            if entry.database != current:
                # Normally the recording holds the CREATE DATABASE; this only covers a test that made
                # its database some other way.
                if entry.database != "default":
                    session.query(f"CREATE DATABASE IF NOT EXISTS {quote_ident(entry.database)}")
                session.query(f"USE {quote_ident(entry.database)}")
                current = entry.database
            if entry.kind == "command":
                tally.commands += 1
                session.query(entry.sql)
            elif entry.kind == "insert":
                tally.inserts += 1
                text, count = insert_sql(entry)
                tally.inserted_rows += count
                session.query(text)
            else:
                tally.queries += 1
                result = session.query(entry.sql, "JSONEachRow")
                if not is_compared(entry.sql):
                    tally.not_compared += 1
                    continue
                tally.compared += 1
                payload = result.bytes().decode("utf-8")
                actual = [json.loads(line) for line in payload.splitlines() if line.strip()]
                diff = rows_differ(entry.rows or [], actual, is_ordered(entry.sql))
                if diff:
                    tally.failures.append(
                        f"FAIL {entry.source} [database {entry.database}] query returned a different result: {diff}\n"
                        f"  SQL: {describe(entry)}"
                    )
        except Exception as error:  # chDB raises its own error type for every rejected statement
            message = " ".join(str(error).split())[:800]
            tally.failures.append(
                f"FAIL {entry.source} [database {entry.database}] {entry.kind} rejected by chDB: {message}\n"
                f"  SQL: {describe(entry)}"
            )
            if entry.kind != "query":
                # The database now differs from what 18.16 had; every later answer there would differ too.
                broken[entry.database] = entry.source
            # A statement that failed may have left us anywhere; re-select on the next statement.
            current = None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recordings", nargs="+", help="JSON-lines recordings, replayed in the order given")
    args = parser.parse_args(argv)

    os.environ["TZ"] = "UTC"
    try:
        entries = [e for path in args.recordings for e in read_recording(path)]
    except (OSError, RecordingError) as e:
        print(f"conformance: cannot read the recording: {e}", file=sys.stderr)
        return 2
    if not entries:
        print(
            f"conformance: nothing to replay in {', '.join(args.recordings)}; "
            "did the integration suite run with WAYPOINT_RECORD_SQL set?",
            file=sys.stderr,
        )
        return 2

    import chdb  # late: the argument errors above should not wait for the engine to load
    from chdb import session as chdb_session

    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="waypoint-conformance-")
    tally = Tally()
    try:
        session = chdb_session.Session(workdir)
        try:
            engine = session.query("SELECT version()", "CSV").bytes().decode().strip().strip('"')
            for setting in SESSION_SETTINGS:
                session.query(setting)
            replay(entries, session, tally)
        finally:
            session.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started

    for failure in tally.failures:
        print(failure)
    print(
        f"conformance: replayed {tally.statements} statements ({tally.commands} commands, "
        f"{tally.inserts} inserts of {tally.inserted_rows} rows, {tally.queries} queries) on chDB "
        f"{chdb.__version__} (ClickHouse {engine}) in {elapsed:.1f} s; compared {tally.compared} query "
        f"results (floats within {FLOAT_REL_TOL:g} relative), {tally.not_compared} accepted but not "
        f"compared (now(), version(), system tables…), {tally.skipped} skipped after a failure"
    )
    passed = tally.statements - len(tally.failures)
    print(f"conformance: {passed} passed, {len(tally.failures)} failed")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
