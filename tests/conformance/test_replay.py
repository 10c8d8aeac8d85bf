#!/usr/bin/env python3
"""Proves the conformance replayer fails when it should: crafted recordings through replay.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the work tree

import replay  # noqa: E402  (the module under test, next to this file)

DB = "conf_selftest"


def command(sql: str, database: str = DB) -> dict:
    return {"kind": "command", "database": database, "sql": sql}


def query(sql: str, rows: list, database: str = DB) -> dict:
    return {"kind": "query", "database": database, "sql": sql, "rows": rows}


SETUP = [
    command(f"CREATE DATABASE IF NOT EXISTS {DB}", "default"),
    command("CREATE TABLE t (k String, n UInt64, x Float64) ENGINE = MergeTree ORDER BY k"),
    {"kind": "insert", "database": DB, "table": "t", "rows": [
        {"k": "a", "n": "1", "x": 0.1}, {"k": "b", "n": "2", "x": 0.2}, {"k": "c", "n": "3", "x": 0.3},
    ]},
    {"kind": "insert", "database": DB, "table": "t", "lines": '{"k":"d","n":"4","x":0.4}\n'},
]


def run_replay(entries: list[dict]) -> tuple[int, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps(e) + "\n" for e in entries))
        path = f.name
    try:
        done = subprocess.run(
            [sys.executable, os.path.join(HERE, "replay.py"), path],
            capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}, timeout=120,
        )
        return done.returncode, done.stdout + done.stderr
    finally:
        os.unlink(path)


class ReplayFailsWhenItShould(unittest.TestCase):
    def test_conforming_recording_passes_and_counts(self):
        code, out = run_replay(SETUP + [
            # 18.16 quotes UInt64; 0.1 + 0.2 is 0.30000000000000004 on one and may print otherwise.
            query("SELECT k, n, x FROM t", [
                {"k": "d", "n": "4", "x": 0.4}, {"k": "c", "n": "3", "x": 0.3},
                {"k": "b", "n": "2", "x": 0.2}, {"k": "a", "n": "1", "x": 0.1},
            ]),
            query("SELECT sum(x) AS s, count() AS c FROM t", [{"s": 1.0000000000000002, "c": "4"}]),
            query("SELECT k FROM t ORDER BY k DESC", [{"k": "d"}, {"k": "c"}, {"k": "b"}, {"k": "a"}]),
            query("SELECT now() AS t", [{"t": "2019-01-01 00:00:00"}]),
        ])
        self.assertEqual(code, 0, out)
        self.assertIn("replayed 8 statements (2 commands, 2 inserts of 4 rows, 4 queries)", out)
        self.assertIn("compared 3 query results", out)
        self.assertIn("1 accepted but not compared", out)

    def test_statement_1816_accepted_but_current_rejects(self):
        # The pre-2019 MergeTree syntax: 18.16 takes it, a current server refuses it by default.
        legacy = "CREATE TABLE old (d Date, k UInt32) ENGINE = MergeTree(d, (k), 8192)"
        code, out = run_replay(SETUP + [command(legacy), query("SELECT count() AS c FROM t", [{"c": "4"}])])
        self.assertEqual(code, 1, out)
        self.assertIn("command rejected by chDB", out)
        self.assertIn("ENGINE = MergeTree(d, (k), 8192)", out)

    def test_query_1816_accepted_but_current_rejects(self):
        # Found in our own jobs: a JOIN of unaliased subqueries (code 206 on a current server).
        unaliased = "SELECT k, n FROM (SELECT k FROM t) ANY LEFT JOIN (SELECT k, n FROM t) USING k"
        code, out = run_replay(SETUP + [query(unaliased, [{"k": "a", "n": "1"}])])
        self.assertEqual(code, 1, out)
        self.assertIn("query rejected by chDB", out)
        self.assertIn(unaliased, out)

    def test_result_that_differs_between_versions_fails(self):
        # What 18.16 really returns for the zero date; a current server prints 1970-01-01.
        code, out = run_replay(SETUP + [query("SELECT toString(toDate(0)) AS d", [{"d": "0000-00-00"}])])
        self.assertEqual(code, 1, out)
        self.assertIn('18.16 row {"d": "0000-00-00"}', out)

    def test_changed_result_fails_naming_the_query(self):
        code, out = run_replay(SETUP + [query("SELECT count() AS c FROM t WHERE n > 1", [{"c": "2"}])])
        self.assertEqual(code, 1, out)
        self.assertIn("query returned a different result", out)
        self.assertIn("SELECT count() AS c FROM t WHERE n > 1", out)
        self.assertRegex(out, r"\.jsonl:5 ")

    def test_float_beyond_tolerance_fails(self):
        code, out = run_replay(SETUP + [query("SELECT sum(x) AS s FROM t", [{"s": 1.000001}])])
        self.assertEqual(code, 1, out)

    def test_order_matters_only_under_a_top_level_order_by(self):
        reversed_rows = [{"k": "a"}, {"k": "b"}, {"k": "c"}, {"k": "d"}]
        code, out = run_replay(SETUP + [query("SELECT k FROM (SELECT k FROM t ORDER BY k) ORDER BY k DESC", reversed_rows)])
        self.assertEqual(code, 1, out)
        self.assertIn("same rows in another order", out)
        code, out = run_replay(SETUP + [query("SELECT k FROM (SELECT k FROM t ORDER BY k DESC)", reversed_rows)])
        self.assertEqual(code, 0, out)

    def test_missing_column_name_fails(self):
        code, out = run_replay(SETUP + [query("SELECT count() FROM t", [{"c": "4"}])])
        self.assertEqual(code, 1, out)

    def test_empty_recording_fails(self):
        code, out = run_replay([])
        self.assertEqual(code, 2, out)
        self.assertIn("nothing to replay", out)


class ReadingSql(unittest.TestCase):
    def test_is_ordered_ignores_subqueries_literals_and_comments(self):
        self.assertTrue(replay.is_ordered("SELECT a FROM t ORDER BY a"))
        self.assertFalse(replay.is_ordered("SELECT a FROM (SELECT a FROM t ORDER BY a)"))
        self.assertFalse(replay.is_ordered("SELECT 'ORDER BY' AS a -- ORDER BY a\nFROM t"))
        self.assertFalse(replay.is_ordered("SELECT a FROM t ORDER BY a UNION ALL SELECT a FROM u"))

    def test_is_compared_skips_only_real_calls(self):
        self.assertFalse(replay.is_compared("SELECT count() FROM system.mutations"))
        self.assertFalse(replay.is_compared("SELECT version() AS version"))
        self.assertTrue(replay.is_compared("SELECT 'now()' AS a, nowhere FROM t"))


if __name__ == "__main__":
    unittest.main(verbosity=1)
