"""`export --format json` of the seed holds every figure of its 13 tables: this test reads the JSON back
and rebuilds each table's numbers by its own arithmetic — sums of the listed facts, nothing of the
generator's table engine — and compares them with the tables of the published document (the golden
seed text), cell for cell."""
from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import ROOT
from seedtext import table_rows

from generator.commands.cli import main

CATALOGUE = ROOT / "generator" / "catalogue"
FISCAL = ("一般公共预算", "政府性基金预算", "国有资本经营预算")
OWN = ("单位资金", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入")
TITLES = ["预算收支总表", "预算收入总表", "预算支出总表", "财政拨款收支总表", "一般公共预算支出预算表（不含上年结转）",
          "一般公共预算安排基本支出分经济科目表（不含上年结转）", "政府性基金预算收入表（不含上年结转）",
          "政府性基金预算支出表（不含上年结转）", "国有资本经营预算收支预算表（不含上年结转）", "财政拨款安排“三公”经费支出预算表",
          "财政拨款安排机关运行经费预算表", "项目支出预算表（本年预算）", "项目支出预算表（上年结转）"]


def rows_of(name: str) -> list[dict]:
    with open(CATALOGUE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("json")
    assert main(["export", "units/datong-ggzyjy/2026.yaml", "-o", str(out), "--format", "json"]) == 0
    return json.loads((out / "datong-ggzyjy-2026.json").read_text(encoding="utf-8"))


class Facts:
    def __init__(self, facts: list[dict]):
        self.facts = [{**f, "amount": Decimal(f["amount"])} for f in facts]

    def sum(self, axis="function", code="", source=(), nature="", category="", period="", project="") -> Decimal:
        found = Decimal(0)
        for f in self.facts:
            if f["axis"] != axis or not f["code"].startswith(code):
                continue
            if (source and f["source"] not in source) or (nature and f["nature"] != nature) or \
               (category and f["category"] != category) or (period and f["period"] != period) or (project and f["project"] != project):
                continue
            found += f["amount"]
        return found

    def names(self, axis: str) -> dict[str, str]:
        """code (every level) -> name, from the facts' own columns."""
        found = {}
        for f in self.facts:
            if f["axis"] == axis:
                for level in ("class", "item", "subject"):
                    if f[f"{level}_code"]:
                        found[f[f"{level}_code"]] = f[f"{level}_name"]
        return found

    def projects(self) -> list[str]:
        return list(dict.fromkeys(f["project"] for f in self.facts if f["project"]))


def wan(amount: Decimal) -> str:
    shown = (amount / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return "" if shown == 0 else f"{shown:.2f}"


def trimmed(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def side_by_side(left: list[list[str]], right: list[list[str]], widths: tuple[int, int]) -> list[list[str]]:
    rows = []
    for n in range(max(len(left), len(right))):
        a = left[n] if n < len(left) else [""] * widths[0]
        b = right[n] if n < len(right) else [""] * widths[1]
        rows.append(trimmed(a + b))
    return rows


CN = "一二三四五"


def table_1(f: Facts, classes) -> list[list[str]]:
    sources = ["一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金"]
    left = [[f"{CN[i]}、{s}", wan(f.sum(source=OWN if s == "单位资金" else (s,), period="本年"))] for i, s in enumerate(sources)]
    right = [[f"{c['order_cn']}、{c['name']}", wan(f.sum(code=c["code"])), wan(f.sum(code=c["code"], period="本年")),
              wan(f.sum(code=c["code"], period="上年结转"))] for c in classes]
    foot_left = [["本年收入合计", wan(f.sum(period="本年"))], ["上年结转", wan(f.sum(period="上年结转"))], ["收入总计", wan(f.sum())]]
    foot_right = [["本年支出合计", wan(f.sum()), wan(f.sum(period="本年")), wan(f.sum(period="上年结转"))],
                  ["年终结转", "", "", ""], ["支出总计", wan(f.sum()), wan(f.sum(period="本年")), wan(f.sum(period="上年结转"))]]
    return side_by_side(left, right, (2, 4)) + side_by_side(foot_left, foot_right, (2, 4))


def coded(f: Facts, columns, keep=lambda code: True) -> list[list[str]]:
    names = f.names("function")
    codes = sorted(c for c in names if keep(c))
    return [trimmed(["合计", ""] + [wan(col("")) for col in columns])] + \
           [trimmed([c, names[c]] + [wan(col(c)) for col in columns]) for c in codes]


def table_4(f: Facts, classes) -> list[list[str]]:
    left = [[f"{CN[i]}、{s}", wan(f.sum(source=(s,), period="本年"))] for i, s in enumerate(FISCAL)]
    right = [[f"{c['order_cn']}、{c['name']}", wan(f.sum(code=c["code"], source=FISCAL))]
             + [wan(f.sum(code=c["code"], source=(s,))) for s in FISCAL] for c in classes]
    foot_left = ([["本年收入合计", wan(f.sum(source=FISCAL, period="本年"))], ["上年财政拨款结转", wan(f.sum(source=FISCAL, period="上年结转"))]]
                 + [[f"{CN[i]}、{s}", wan(f.sum(source=(s,), period="上年结转"))] for i, s in enumerate(FISCAL)]
                 + [["收入总计", wan(f.sum(source=FISCAL))]])
    totals = [wan(f.sum(source=FISCAL))] + [wan(f.sum(source=(s,))) for s in FISCAL]
    foot_right = [["本年支出合计"] + totals, ["年终结转", "", "", "", ""]] + [[""] * 5] * 3 + [["支出总计"] + totals]
    return side_by_side(left, right, (2, 5)) + side_by_side(foot_left, foot_right, (2, 5))


def table_6(f: Facts, kind: str) -> list[list[str]]:
    gov = {r["code"]: r["name"] for r in rows_of("economic-gov.csv")}
    to_gov = {r["dept_code"]: r["gov_code"] for r in rows_of("economic-dept-to-gov.csv")}
    assert kind != "事业单位"
    names = f.names("economic")
    def row(code: str, label: str, gov_name: str) -> list[str]:
        cells = [f.sum("economic", code, ("一般公共预算",), category=c) for c in ("人员经费", "公用经费")]
        return trimmed([label, gov_name, wan(sum(cells)), wan(cells[0]), wan(cells[1])])
    return [row("", "合计", "")] + [row(c, names[c], gov.get(to_gov.get(c, ""), "") if len(c) == 5 else "") for c in sorted(names)]


def table_10(f: Facts) -> list[list[str]]:
    parts = [("因公出国（境）费", ("outbound",)), ("公务接待费", ("reception",)), ("公务用车购置及运行费", ("vehicle_purchase", "vehicle_operation")),
             ("①公务用车购置费", ("vehicle_purchase",)), ("②公务用车运行维护费", ("vehicle_operation",)),
             ("合计", ("outbound", "reception", "vehicle_purchase", "vehicle_operation"))]
    def amount(codes, sources):
        return sum((f.sum("three_public", c, sources) for c in codes), Decimal(0))
    return [trimmed([label, wan(amount(codes, FISCAL))] + [wan(amount(codes, (s,))) for s in FISCAL]) for label, codes in parts]


def table_11(f: Facts, unit: str) -> list[list[str]]:
    def row(label):
        return trimmed([label, wan(f.sum("economic", "", FISCAL, category="公用经费"))]
                       + [wan(f.sum("economic", "", (s,), category="公用经费")) for s in FISCAL])
    return [row("部门合计"), row(unit)]


def table_12(f: Facts, unit: str) -> list[list[str]]:
    columns = [(), ("一般公共预算",), ("政府性基金预算",), ("国有资本经营预算",), ("财政专户管理资金",), OWN]
    def row(label, project=""):
        return trimmed([label] + [wan(f.sum(source=s, nature="项目", period="本年", project=project)) for s in columns])
    return [row(unit)] + [row(p, p) for p in f.projects()]


def rebuilt(data: dict) -> dict[int, list[list[str]]]:
    f = Facts(data["facts"])
    unit = data["unit"]["name"]
    classes = [r for r in rows_of("function.csv") if len(r["code"]) == 3]
    return {
        1: table_1(f, classes),
        2: coded(f, [lambda c: f.sum(code=c), *[lambda c, s=s: f.sum(code=c, source=(s,), period="本年")
                                                for s in ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金")],
                     lambda c: f.sum(code=c, source=OWN, period="本年"), lambda c: f.sum(code=c, period="上年结转")]),
        3: coded(f, [lambda c: f.sum(code=c), lambda c: f.sum(code=c, nature="基本"), lambda c: f.sum(code=c, nature="项目")],
                 keep=lambda c: f.sum(code=c) != 0),
        4: table_4(f, classes),
        5: coded(f, [lambda c, n=n: f.sum(code=c, source=("一般公共预算",), period="本年", nature=n) for n in ("", "基本", "项目")],
                 keep=lambda c: f.sum(code=c, source=("一般公共预算",), period="本年") != 0),
        6: table_6(f, data["unit"]["kind"]),
        7: [["合计"]],
        8: [["合计"]],
        9: [["合计"]],
        10: table_10(f),
        11: table_11(f, unit),
        12: table_12(f, unit),
        13: [],
    }


def test_json_rebuilds_every_figure_of_the_13_tables(data, seed_text):
    published = table_rows(seed_text, [f"2026年{t}" for t in TITLES])
    ours = rebuilt(data)
    for n in range(1, 14):
        assert ours[n] == published[n], n


def test_every_amount_is_an_exact_decimal_string(data):
    amounts = [f["amount"] for f in data["facts"]]
    assert all(isinstance(a, str) and Decimal(a) == Decimal(a).quantize(Decimal("0.01")) for a in amounts)
    assert {f["axis"] for f in data["facts"]} == {"function", "economic", "three_public", "procurement"}
