"""The classification catalogue (政府收支分类科目) kept as data files in generator/catalogue/."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"


@dataclass(frozen=True)
class FunctionClass:
    code: str
    name: str
    order_cn: str          # 一 … 三十, the row label of 表一 and 表四


@dataclass(frozen=True)
class FormerName:
    """A name a 类 or 款 had before it was renamed (function-former-names.csv)."""
    code: str
    former: str
    name: str             # the name since ``year``
    year: int
    source: str           # where the renaming is published, e.g. 财政部《2019年政府收支分类科目》


@dataclass(frozen=True)
class Catalogue:
    function_names: dict          # code (3/5/7 digits) -> name
    function_classes: tuple       # the 30 类 in table order
    economic_names: dict          # 部门 economic code (3/5 digits) -> name
    gov_economic_names: dict      # 政府 economic code -> name
    dept_to_gov: dict             # 部门 economic 款 -> 政府 economic 款 (机关: 行政 and 参公 units)
    institution_class_to_gov: dict  # 部门 economic 类 -> 政府 款 for a 事业单位 (301 -> 50501 …)
    former_names: tuple = ()      # FormerName of function 类 and 款, by code

    def function_name(self, code: str) -> str | None:
        return self.function_names.get(code)

    def economic_name(self, code: str) -> str | None:
        return self.economic_names.get(code)

    def gov_name_for(self, dept_code: str, unit_kind: str) -> str:
        """The 政府 economic 款 name under which a unit of this kind reports a 部门 款 (表六)."""
        gov = self.institution_class_to_gov.get(dept_code[:3]) if unit_kind == "事业单位" else None
        return self.gov_economic_names.get(gov or self.dept_to_gov.get(dept_code, ""), "")


@dataclass(frozen=True)
class FundSources:
    """The fund-source taxonomy (fund-sources.csv): the leaves an amount map may name, and the groups."""
    leaves: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]         # a name -> the leaves it covers (a leaf covers itself)
    top: tuple[str, ...]                       # the sources that partition the whole: 单位资金 once, with its parts
    positions: dict[str, tuple[int, ...]]      # a name -> the places of its leaves in `leaves`

    def indexes(self, name: str) -> tuple[int, ...]:
        return self.positions[name]


@lru_cache(maxsize=1)
def load_fund_sources() -> FundSources:
    rows = read_rows("fund-sources.csv")
    leaves = tuple(r["name"] for r in rows)
    groups: dict[str, list[str]] = {leaf: [leaf] for leaf in leaves}
    for r in rows:
        if r["parent"]:
            groups.setdefault(r["parent"], [] if r["parent"] not in leaves else groups[r["parent"]]).append(r["name"])
    frozen = {name: tuple(members) for name, members in groups.items()}
    top = tuple(r["name"] for r in rows if r["parent"] not in leaves)
    return FundSources(leaves, frozen, top, {name: tuple(leaves.index(m) for m in members) for name, members in frozen.items()})


def read_rows(name: str) -> list[dict]:
    with open(CATALOGUE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    functions = read_rows("function.csv")
    classes = tuple(FunctionClass(r["code"], r["name"], r["order_cn"])
                    for r in functions if len(r["code"]) == 3)
    return Catalogue(
        function_names={r["code"]: r["name"] for r in functions},
        function_classes=classes,
        economic_names={r["code"]: r["name"] for r in read_rows("economic-dept.csv")},
        gov_economic_names={r["code"]: r["name"] for r in read_rows("economic-gov.csv")},
        dept_to_gov={r["dept_code"]: r["gov_code"] for r in read_rows("economic-dept-to-gov.csv")},
        institution_class_to_gov={r["dept_class"]: r["gov_code"]
                                  for r in read_rows("economic-class-to-gov-institution.csv")},
        former_names=tuple(FormerName(r["code"], r["former_name"], r["name"], int(r["year"]), r["source"])
                           for r in read_rows("function-former-names.csv")),
    )
