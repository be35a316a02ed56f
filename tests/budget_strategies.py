"""Hypothesis strategies that build WHOLE VALID unit budgets (the YAML of docs/format.md) as dicts.

Every amount is generated as an integer number of cents (分) and stored in the dict as a Decimal
of 元 with 0–2 decimals, so tests can recompute every figure exactly and independently of the
generator. The strategies guarantee what the checks of generator/checks.py demand:

* function 项 and economic 款 come from the catalogue CSVs with their exact names;
* basic expenditure by economic 款 is generated first, and each fund source's total is then split
  across the function 项 (so 基本支出 by function = by economic, per fund source, to the cent);
* project names are unique; a 绩效目标表's 年度资金总额 is the project's funds total and each
  funding column adds up to its total;
* 政府性基金 / 国有资本经营 income rows, when present, add up to the matching expenditure.

``write_budget`` dumps a dict as ``<root>/units/<slug>/<year>.yaml`` (codes quoted, amounts as
YAML numbers) and verifies the file reads back with the same values.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from hypothesis import strategies as st

CATALOGUE = Path(__file__).resolve().parent.parent / "generator" / "catalogue"

SOURCES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "财政专户管理资金", "单位资金")
FISCAL = SOURCES[:3]
KINDS = ("行政单位", "参照公务员法管理事业单位", "事业单位")
LEVELS = ("省级", "市级", "县级")
PROJECT_KINDS = ("其他运转类", "特定目标类")
THREE_PUBLIC_PARTS = ("outbound", "reception", "vehicle_purchase", "vehicle_operation")
FUNDING_KEYS = ("central", "provincial", "local", "self_raised", "other")


def _rows(name: str) -> list[dict]:
    with open(CATALOGUE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


FUNCTION_NAMES = {r["code"]: r["name"] for r in _rows("function.csv")}
FUNCTION_ITEMS = tuple(sorted((c, n) for c, n in FUNCTION_NAMES.items()
                              if len(c) == 7 and c[:3] in FUNCTION_NAMES and c[:5] in FUNCTION_NAMES))
# a handful of 项 that units really use, drawn more often so that 项 share their 款 and 类
COMMON_FUNCTION_CODES = ("2010301", "2010302", "2010350", "2010399", "2080501", "2080502", "2080505",
                         "2080506", "2101101", "2101102", "2101103", "2210201", "2210202", "2210203")
COMMON_FUNCTION_ITEMS = tuple((c, FUNCTION_NAMES[c]) for c in COMMON_FUNCTION_CODES if c in FUNCTION_NAMES)

ECONOMIC_NAMES = {r["code"]: r["name"] for r in _rows("economic-dept.csv")}
CATEGORY_OF_CLASS = {"301": "人员经费", "303": "人员经费", "302": "公用经费", "310": "公用经费"}
ECONOMIC_ITEMS = tuple(sorted((c, n, CATEGORY_OF_CLASS[c[:3]]) for c, n in ECONOMIC_NAMES.items()
                              if len(c) == 5 and c[:3] in CATEGORY_OF_CLASS))

MAX_CENTS = 10**10          # 1 亿元 per amount: far beyond a unit's line, far below the 1e12 cap

# ---------------------------------------------------------------------------------------------
# amounts


@cache
def cents(max_cents: int = MAX_CENTS) -> st.SearchStrategy[int]:
    """An amount in 分: zero, any 0–2-decimal 元 value, whole 元, and the half-cent-of-万元 boundaries
    (…50 元 is exactly x.xx5 万元, the case where half-up and banker's rounding differ)."""
    top = max_cents // 10000
    return st.one_of(
        st.just(0),
        st.integers(0, max_cents),
        st.integers(0, max_cents // 100).map(lambda n: n * 100),                      # whole 元
        st.integers(0, top).map(lambda n: n * 10000 + 5000),                          # x50 元 → .xx5 万元
        st.integers(0, top).map(lambda n: n * 10000 + 4999),                          # just below it
        st.integers(0, top).map(lambda n: n * 10000 + 5001),                          # just above it
        st.integers(0, 10**6).map(lambda n: n * 100 + 50),                            # 0.50 元 tails
        st.integers(1, 99),                                                           # cents only
    )


def yuan_of(c: int) -> Decimal:
    """分 → 元 as a Decimal with at most two decimals (12.5, 12, 0.05)."""
    return Decimal(c) / 100


def cents_of(value) -> int:
    """元 (Decimal / int / None) → 分."""
    if value is None:
        return 0
    d = Decimal(value) * 100
    assert d == d.to_integral_value(), value
    return int(d)


MOSTLY = st.sampled_from((True, True, True, False))
SOMETIMES = st.booleans()
YUAN = cents().map(yuan_of)


@st.composite
def fund_map(draw, sources=SOURCES, max_cents: int = MAX_CENTS, allow_empty: bool = True) -> dict:
    """{source: Decimal 元}; 一般公共预算 most of the time, others now and then; zero values kept."""
    chosen = [s for s in sources if draw(MOSTLY if s == SOURCES[0] else SOMETIMES)]
    if not chosen and not allow_empty:
        chosen = [sources[0]]
    return {s: yuan_of(draw(cents(max_cents))) for s in chosen}


FUNDS = fund_map()                                  # this year's funds of an item or project
CARRY = fund_map(max_cents=10**8)                   # a carry-over
FISCAL_FUNDS = fund_map(FISCAL, max_cents=10**8)    # a 三公 component (财政拨款 only)
SPLIT = st.integers(0, 2)                           # 0: nothing, 1: all that is left, 2: some of it


def split_cents(draw, amount: int, n: int) -> list[int]:
    """Split ``amount`` 分 into ``n`` non-negative parts that add up exactly."""
    parts, remaining = [], amount
    for _ in range(n - 1):
        x = draw(SPLIT)
        x = 0 if x == 0 else remaining if x == 1 else draw(st.integers(0, remaining))
        parts.append(x)
        remaining -= x
    return parts + [remaining]


# ---------------------------------------------------------------------------------------------
# text

DUTIES = ("贯彻执行国家有关法律法规和方针政策。", "负责本单位职责范围内的日常管理工作。",
          "承担相关业务的组织实施和监督检查工作。", "完成上级交办的其他任务。")
ORGANISATION = ("本单位内设综合科、业务科、财务科三个科室。", "本单位为独立核算单位，实有在职人员若干名。")
UNIT_STEMS = ("公共资源交易中心", "政务服务中心", "档案馆", "图书馆", "农业技术推广站", "统计局",
              "市场监督管理局", "退役军人服务中心", "科学技术协会", "机关事务服务中心")
PLACES = ("大同市", "太原市", "平城区", "云冈区", "某县")
PROJECT_NAMES = ("专家评审费", "网络安全运维服务", "信息系统维护费", "办公楼物业服务", "档案数字化建设",
                 "业务培训经费", "宣传经费", "设备购置", "平台运行维护费", "课题研究经费", "应急保障经费",
                 "专项检查经费", "数据中心租赁费", "法律顾问服务费", "志愿服务经费", "会议经费", "调研经费",
                 "公务用车更新", "党建工作经费", "安全生产检查经费")
REASONS = ("人员调整，工资福利支出相应变化", "一次性项目已完成，项目经费减少", "新增业务工作任务，经费相应增加",
           "严格执行厉行节约规定")
INDICATORS = (
    ("产出指标", "数量指标", "完成工作任务数量", "≥10项"),
    ("产出指标", "质量指标", "工作完成合格率", "≥95%"),
    ("产出指标", "时效指标", "任务完成时间", "12月"),
    ("效益指标", "社会效益", "服务群众能力提升", "有效提升"),
    ("效益指标", "可持续影响", "长效机制建设", "持续"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"),
)
INCOME_ROWS = {
    "政府性基金预算": (("1030148", "国有土地使用权出让收入"), ("1030155", "彩票公益金收入")),
    "国有资本经营预算": (("1030601", "利润收入"), ("1030602", "股利、股息收入")),
}


# ---------------------------------------------------------------------------------------------
# parts of a budget


SLUGS = st.builds(lambda head, tail, part: head + tail + (f"-{part}" if part else ""),
                  st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
                  st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
                  st.text("abcdefghijklmnopqrstuvwxyz0123456789", max_size=6))


@st.composite
def units(draw) -> dict:
    place, stem = draw(st.sampled_from(PLACES)), draw(st.sampled_from(UNIT_STEMS))
    unit = {
        "name": place + stem,
        "slug": draw(SLUGS),
        "kind": draw(st.sampled_from(KINDS)),
        "level": draw(st.sampled_from(LEVELS)),
        "department": {"code": f"{draw(st.integers(0, 999)):03d}", "name": place + "某主管部门"},
        "staff": draw(st.integers(0, 500)),
        "duties": draw(st.lists(st.sampled_from(DUTIES), min_size=1, max_size=4)),
        "organisation": draw(st.lists(st.sampled_from(ORGANISATION), min_size=1, max_size=2)),
    }
    if draw(st.booleans()):
        unit["code"] = f"{draw(st.integers(0, 999999)):06d}"
    return unit


FUNCTION_ITEM = st.one_of(st.sampled_from(COMMON_FUNCTION_ITEMS), st.sampled_from(FUNCTION_ITEMS))


def function_items() -> st.SearchStrategy:
    return FUNCTION_ITEM


@st.composite
def basic(draw) -> dict:
    """Economic 款 first; then each source's total split across the function 项."""
    econ = draw(st.lists(st.sampled_from(ECONOMIC_ITEMS), max_size=8, unique_by=lambda e: e[0]))
    by_economic = [{"code": c, "name": n, "category": cat, "funds": draw(FUNDS)} for c, n, cat in econ]
    funcs = draw(st.lists(function_items(), min_size=1 if econ else 0, max_size=5, unique_by=lambda f: f[0]))
    per_source = {s: sum(cents_of(e["funds"].get(s)) for e in by_economic) for s in SOURCES}
    used = {s for e in by_economic for s in e["funds"]}
    shares = {s: split_cents(draw, per_source[s], len(funcs)) for s in SOURCES if funcs}
    by_function = []
    for i, (code, name) in enumerate(funcs):
        funds = {s: yuan_of(shares[s][i]) for s in SOURCES if s in used and (shares[s][i] or draw(st.booleans()))}
        item = {"code": code, "name": name, "funds": funds}
        if draw(st.integers(0, 3)) == 0:
            item["carryover"] = draw(CARRY)
        by_function.append(item)
    return {"by_function": by_function, "by_economic": by_economic}


@st.composite
def funding_columns(draw, amount: int) -> dict:
    """The five columns of a 绩效目标表 funding line, adding up to ``amount`` 分 (null = blank cell)."""
    keys = list(FUNDING_KEYS)
    carriers = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
    parts = dict(zip(carriers, split_cents(draw, amount, len(carriers))))
    column = {}
    for k in keys:
        if k in parts:
            column[k] = yuan_of(parts[k])
        else:
            column[k] = draw(st.sampled_from((None, Decimal(0))))
    return column


@st.composite
def performance(draw, amount: int, year: int) -> dict:
    factor = draw(st.integers(1, 3))
    indicators = draw(st.lists(st.sampled_from(INDICATORS), min_size=1, max_size=5))
    return {
        "attribute": draw(st.sampled_from(("经常性项目（长期开展）", "一次性项目"))),
        "period": draw(st.sampled_from(("99年", "1年", "3年"))),
        "funding": {
            "period": draw(funding_columns(amount * factor)),
            "annual": draw(funding_columns(amount)),
            "period_total": yuan_of(amount * factor),
            "annual_total": yuan_of(amount),
        },
        "overview": "为保障本单位业务工作正常开展，安排本项目经费。",
        "basis": "根据有关文件规定，已列入财政部门预算。",
        "necessity": "保障业务工作正常运转。",
        "safeguards": "严格执行各项财务规章制度，专款专用。",
        "plan": "按年度工作计划分步实施。",
        "goal_period": "全面完成项目实施期各项工作任务。",
        "goal_annual": f"全面完成{year}年度各项工作任务。",
        "indicators": [{"level1": a, "level2": b, "name": c, "value": d} for a, b, c, d in indicators],
        "contact": {"head": "", "clerk": "张三", "phone": "7982092", "date": f"{year - 1}1121175638"},
    }


@st.composite
def projects(draw, year: int) -> list:
    names = draw(st.lists(st.sampled_from(PROJECT_NAMES), max_size=5, unique=True))
    result = []
    for name in names:
        code, _ = draw(function_items())
        funds = draw(FUNDS)
        project = {"name": name, "function": code, "kind": draw(st.sampled_from(PROJECT_KINDS)), "funds": funds}
        if draw(st.integers(0, 2)) == 0:
            project["carryover"] = draw(CARRY)
        if draw(st.booleans()):
            project["performance"] = draw(performance(sum(cents_of(v) for v in funds.values()), year))
        result.append(project)
    return result


@cache
def prior_amount(max_cents: int = MAX_CENTS) -> st.SearchStrategy[Decimal]:
    """Last year's figure: zero often (the 上年无此项预算 case), else any amount."""
    return st.one_of(st.just(Decimal(0)), cents(max_cents).map(yuan_of))


def spent(data: dict, source: str) -> int:
    """This year's expenditure of one fund source (基本 + 项目, without carry-over), in 分."""
    return (sum(cents_of(i["funds"].get(source)) for i in data["basic"]["by_function"])
            + sum(cents_of(p["funds"].get(source)) for p in data["projects"]))


@st.composite
def income_rows(draw, data: dict, source: str) -> list:
    amount = spent(data, source)
    if amount == 0 or draw(st.booleans()):
        return []
    rows = draw(st.lists(st.sampled_from(INCOME_ROWS[source]), min_size=1, max_size=2, unique=True))
    return [{"code": c, "name": n, "amount": yuan_of(a)}
            for (c, n), a in zip(rows, split_cents(draw, amount, len(rows)))]


# ---------------------------------------------------------------------------------------------
# the whole budget


@st.composite
def budgets(draw) -> dict:
    year = draw(st.integers(2024, 2030))
    data = {
        "year": year,
        "template": "shanxi-datong",
        "unit": draw(units()),
        "basic": draw(basic()),
        "projects": draw(projects(year)),
        "three_public": {p: draw(FISCAL_FUNDS) for p in THREE_PUBLIC_PARTS},
    }
    gf = draw(income_rows(data, "政府性基金预算"))
    if gf or draw(st.booleans()):
        data["government_fund_income"] = gf
    sc = draw(income_rows(data, "国有资本经营预算"))
    if sc or draw(st.booleans()):
        data["state_capital"] = {"income": sc}
    data["prior_year"] = {
        "total": draw(prior_amount()),
        "general_budget": draw(prior_amount()),
        "three_public": {p: draw(prior_amount(10**8)) for p in THREE_PUBLIC_PARTS},
        "office_operation": draw(prior_amount()),
    }
    data["explanations"] = {k: draw(st.sampled_from(REASONS))
                            for k in ("total", "general_budget", "three_public", "office_operation")
                            if draw(st.booleans())}
    data["procurement"] = {k: yuan_of(draw(cents())) for k in ("goods", "works", "services")}
    data["overall_performance"] = draw(st.one_of(st.none(), YUAN.map(lambda v: {"amount": v})))
    data["assets"] = {
        "as_of": f"{year - 1}-12-31",
        "vehicles": {"quota": draw(st.integers(0, 5)), "actual": draw(st.integers(0, 5)),
                     "by_use": {"领导用车": 0, "机要通信用车": draw(st.integers(0, 3)), "应急保障用车": 0,
                                "执法执勤用车": 0, "特种专业技术用车": 0, "事业单位业务用车": 0, "其他公务用车": 0}},
        "office_area": yuan_of(draw(st.integers(0, 10**6))),
        "equipment_over_500k": draw(st.integers(0, 3)),
        "equipment_over_1m": draw(st.integers(0, 3)),
    }
    data["other_notes"] = {"purchase_catalogue": "本单位按照政府购买服务指导性目录执行。", "other": "本单位无其他需要说明的事项。"}
    data["glossary"] = []
    return data


# ---------------------------------------------------------------------------------------------
# writing the YAML


class _Dumper(yaml.SafeDumper):
    """Decimals as plain YAML numbers: whole ones as ints, others as floats from their exact text."""


def _represent_decimal(dumper, value: Decimal):
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6)


def _same(written, read) -> bool:
    """The value read back equals the one written; an amount must come back as a number."""
    if isinstance(written, Decimal):
        return isinstance(read, (int, float)) and not isinstance(read, bool) and Decimal(str(read)) == written
    if isinstance(written, dict):
        return isinstance(read, dict) and written.keys() == read.keys() and all(_same(v, read[k]) for k, v in written.items())
    if isinstance(written, list):
        return isinstance(read, list) and len(written) == len(read) and all(map(_same, written, read))
    return type(written) is type(read) and written == read


def write_budget(data: dict, root: Path) -> Path:
    """Write ``<root>/units/<slug>/<year>.yaml``; assert that it reads back unchanged (codes as text,
    amounts as numbers)."""
    path = Path(root) / "units" / data["unit"]["slug"] / f"{data['year']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump_yaml(data)
    assert _same(data, yaml.safe_load(text)), "the YAML does not read back as written"
    path.write_text(text, encoding="utf-8")
    return path

