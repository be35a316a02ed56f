"""Synthetic unit budget files for benchmarks (issue 6).

    python benchmarks/synth.py OUT_DIR [-n 20] [--seed 2026] [--year 2026]

writes OUT_DIR/synth-0000/2026.yaml … . Each unit is modelled on the seed unit
(units/datong-ggzyjy/2026.yaml) but of a realistic, randomised size:

- 20–60 function 项 in basic.by_function, with codes and exact names from generator/catalogue/function.csv,
  clustered by 款 as real units are (the personnel 项 — 养老、医疗、住房公积金 — always among them);
- 15–30 economic 款 in basic.by_economic from economic-dept.csv (301/302/303, only 款 that
  economic-dept-to-gov.csv maps, so 表六 has both name columns);
- 5–40 projects, each with a full 绩效目标表 (7 texts, 6–10 indicators over every 一级指标, contact row);
- basic by function = basic by economic for every fund source, the 绩效目标表 amounts add up,
  the 成本指标 equals the budget, 三公 equals its economic item, and an explanation is written exactly
  for the figures that changed from last year — so every unit passes ``budgetdoc check`` without
  errors and (nearly always) without warnings.

Unit ``i`` depends only on (seed, i): the first 20 units of a 500-unit set are the 20-unit set.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "generator" / "catalogue"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/unit-budget.schema.json\n"

PERSONNEL_FUNCTIONS = ("2080505", "2101101", "2210201")      # 养老保险缴费、行政单位医疗、住房公积金
OFFICE_KINDS = ("行政单位", "参照公务员法管理事业单位")

AREAS = ("档案", "统计", "林业", "水利", "交通运输", "文化和旅游", "商务", "医疗保障", "退役军人事务", "应急管理",
         "市场监督管理", "生态环境", "自然资源", "住房和城乡建设", "农业农村", "人力资源和社会保障", "民政", "司法",
         "审计", "体育", "教育", "卫生健康", "科学技术", "工业和信息化", "能源", "地方志", "机关事务管理", "信访",
         "行政审批服务管理", "公共资源交易", "政务信息化", "大数据应用", "社会保险", "就业服务", "不动产登记",
         "气象服务", "地震监测", "城市管理", "园林绿化", "供销合作")
ORG_TYPES = ("局", "中心", "服务中心", "事务中心", "研究所", "监测站", "管理站", "保障中心")
DISTRICTS = ("", "平城区", "云冈区", "新荣区", "云州区", "阳高县", "天镇县", "广灵县", "灵丘县", "浑源县", "左云县")

PROJECT_TOPICS = (
    "专家评审", "法律顾问服务", "网络安全运维", "网络安全等级保护测评", "信息系统运行维护", "数据中心机房托管",
    "档案数字化加工", "办公楼物业管理", "政务服务大厅运行保障", "业务培训", "政策宣传", "课题调查研究",
    "执法装备购置", "应急物资储备", "视频会议系统维护", "审计服务", "安全生产检查", "统计调查",
    "环境质量监测", "设备维修保养", "公务用车运行保障", "残疾人就业保障金", "工会活动", "离退休人员活动",
    "电子政务外网租赁", "不动产登记数据整合", "社会保险经办服务", "就业见习补贴", "职业技能鉴定",
    "产权交易运转", "政府采购事务", "平台交易见证服务", "水质检测", "森林防火巡护", "林木病虫害防治",
    "农产品质量抽检", "耕地质量监测", "文物保护修缮", "非遗保护传承", "全民健身活动", "青少年体育赛事",
    "地方志编纂出版", "信访接待保障", "城市照明维护", "园林绿地养护", "道路清扫保洁", "气象观测站运维",
    "地震监测台网运维", "市场主体信用监管", "食品安全抽检", "计量器具检定", "特种设备检验",
    "公共法律服务", "人民调解补助", "社区矫正经费", "消防救援装备", "防汛抗旱物资", "水土保持监测",
    "河湖长制巡查", "供销网点建设", "电子档案管理系统", "统一身份认证平台", "移动办公终端",
)
PROJECT_SUFFIXES = ("经费", "专项经费", "项目", "服务费", "工作经费")
PROJECT_PREFIXES = ("Z", "Z", "J", "")
CLERKS = ("郑娟", "王敏", "李华", "张丽", "刘洋", "陈静", "杨帆", "赵磊", "黄蕾", "周强", "吴霞", "徐波")

DUTY_TEMPLATES = (
    "贯彻执行党中央、国务院和省委、省政府关于{area}工作的方针政策和法律法规，落实市委、市政府的决策部署。",
    "拟订全市{area}工作的发展规划和年度计划，并组织实施。",
    "负责全市{area}业务的统筹协调和监督管理工作。",
    "组织开展{area}领域的调查研究、数据统计和信息发布。",
    "负责{area}相关信息化系统的建设、运行和维护。",
    "指导各县（区）开展{area}相关工作，组织业务培训和经验交流。",
    "负责本单位财务、资产和人事管理，落实内部控制制度。",
    "承担{area}领域的安全生产、应急处置和风险防控工作。",
    "依法受理{area}领域的咨询、投诉和举报，协助查处违法违规行为。",
    "完成市委、市政府和主管部门交办的其他任务。",
)
TEXTS = {
    "overview": "为保障{topic}工作正常开展，本单位按照职责分工安排本项目，资金用于{topic}相关的服务采购和日常支出。",
    "basis": "根据《中华人民共和国预算法》和同财预【{basis_year}】{doc}号文件要求，本项目已列入财政部门预算。",
    "necessity": "{topic}是本单位履行职责的基础保障，项目实施有利于提升服务质量和管理水平，维护群众合法权益。",
    "safeguards": "严格执行政府采购法和各项财务规章制度，建立项目管理台账，做到专款专用、按进度支付。",
    "plan": "按照年度工作计划分季度推进{topic}，每季度末检查完成情况，年底前完成全部任务并开展绩效自评。",
    "goal_period": "通过{topic}的持续实施，保障相关业务稳定运行，服务对象满意度持续提高。",
    "goal_annual": "{year}年按计划完成{topic}各项任务，资金支付及时，服务对象满意度达到预期目标。",
}
OUTPUT_NAMES = ("完成{topic}任务量", "覆盖服务对象数量", "开展专项检查次数", "完成系统维护项目数")
OUTPUT_VALUES = ("100%", "≥12次", "1项", "≥4次", "2个", "≥95%")
QUALITY = (("任务完成合格率", "100%"), ("验收合格率", "≥98%"), ("服务质量达标率", "≥95%"), ("资料归档完整率", "100%"))
TIMELINESS = (("任务按时完成率", "100%"), ("资金支付及时率", "≥95%"), ("完成时限", "12月底前"), ("响应处理时间", "≤24小时"))
BENEFITS = (("社会效益", "公共服务水平提升", "有效提升"), ("社会效益", "群众办事便利程度", "明显提高"),
            ("经济效益", "节约财政资金", "有效节约"), ("生态效益", "生态环境质量改善", "持续改善"),
            ("可持续影响", "长效管理机制建立", "长期有效"), ("可持续影响", "业务系统持续稳定运行", "稳定运行"))
SATISFACTION = (("服务对象满意度", "≥95%"), ("群众满意度", "≥90%"), ("使用人员满意度", "≥95%"))
EXPLANATIONS = {
    "total": ("部分一次性项目已完成，相应项目支出减少", "新增{topic}等项目，项目支出增加", "人员变动，基本支出相应调整"),
    "general_budget": ("人员调整，工资福利支出相应变化", "项目支出结构调整，财政拨款相应变化"),
    "three_public": ("严格执行公务用车管理规定，压减公务接待支出", "公务用车使用年限较长，运行维护费用相应调整"),
    "office_operation": ("落实过紧日子要求，压减一般性支出", "新招录人员，相应公用经费增加"),
}


def read_csv(name: str) -> list[dict]:
    with open(CATALOGUE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Catalogue:
    """What synth needs from generator/catalogue: 项 grouped by 款, and the mapped economic 款."""

    def __init__(self) -> None:
        rows = read_csv("function.csv")
        self.function_names = {r["code"]: r["name"] for r in rows}
        self.items_by_kuan: dict[str, list[str]] = {}
        for r in rows:
            if len(r["code"]) == 7 and r["code"][:5] in self.function_names and r["code"][:3] in self.function_names:
                self.items_by_kuan.setdefault(r["code"][:5], []).append(r["code"])
        mapped = {r["dept_code"] for r in read_csv("economic-dept-to-gov.csv")}
        self.economic_names = {r["code"]: r["name"] for r in read_csv("economic-dept.csv")}
        self.economic = {cls: [c for c in sorted(self.economic_names) if len(c) == 5 and c[:3] == cls and c in mapped]
                         for cls in ("301", "302", "303")}


_CATALOGUE: Catalogue | None = None


def catalogue() -> Catalogue:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = Catalogue()
    return _CATALOGUE


def hundreds(value: float) -> int:
    """An amount in 元 rounded to a multiple of 100 (budgets are drawn up in hundreds), at least 100."""
    return max(100, int(round(value / 100.0)) * 100)


def split(total: int, weights: list[float], step: int = 100) -> list[int]:
    """`total` (a multiple of `step`) in len(weights) parts of whole steps, each ≥ step, summing exactly."""
    units, n = total // step, len(weights)
    assert units >= n, (total, n)
    spare = units - n
    w = sum(weights)
    raw = [spare * x / w for x in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)[:spare - sum(parts)]:
        parts[i] += 1
    return [(p + 1) * step for p in parts]


DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,}?)\1")          # as generator/lint_text.py (L05)


def choose_clean(rng: random.Random, make) -> str:
    """make(rng) again until its text has no doubled word (档案监测+监测站, 顾问服务+服务费)."""
    for _ in range(50):
        text = make(rng)
        if not DOUBLED.search(text):
            return text
    return text


def funds_of(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v}


def near_duplicate_check():
    """generator's own L02 test, when importable (benchmarks run from the checkout)."""
    try:
        sys.path.insert(0, str(ROOT))
        from generator.analysis.lints.projects import near_duplicate
        return near_duplicate
    except Exception:                                   # noqa: BLE001 — fall back to exact-name uniqueness
        return lambda a, b: a == b


def pick_functions(rng: random.Random, cat: Catalogue, count: int, extra: tuple = ()) -> list[str]:
    """`count` function 项: the personnel ones, `extra`, then whole 款 (or parts of them) at random."""
    chosen = [c for c in PERSONNEL_FUNCTIONS + extra if c in cat.function_names]
    kuans = sorted(cat.items_by_kuan)
    rng.shuffle(kuans)
    for kuan in kuans:
        if len(chosen) >= count:
            break
        items = [c for c in cat.items_by_kuan[kuan] if c not in chosen]
        take = rng.randint(1, max(1, min(len(items), 6))) if items else 0
        chosen += rng.sample(items, take)[:count - len(chosen)]
    return sorted(chosen)


def pick_economic(rng: random.Random, cat: Catalogue, count: int, kind: str) -> list[str]:
    base = ["30101", "30102", "30103" if kind in OFFICE_KINDS else "30107", "30108", "30110", "30113",
            "30201", "30207", "30211", "30228", "30302"]
    base = [c for c in base if c in cat.economic["301"] + cat.economic["302"] + cat.economic["303"]]
    if rng.random() < 0.7:
        base.append("30231")                            # 公务用车运行维护费 → 三公
    if rng.random() < 0.4:
        base.append("30217")                            # 公务接待费 → 三公
    rest = [c for cls in ("301", "302", "303") for c in cat.economic[cls] if c not in base and c not in ("30212",)]
    chosen = base + rng.sample(rest, max(0, count - len(base)))
    return sorted(chosen)


def economic_amount(rng: random.Random, code: str, staff: int) -> int:
    per_head = {"30101": 36000, "30102": 30000, "30103": 12000, "30107": 40000, "30108": 14000, "30109": 7000,
                "30110": 6500, "30111": 2000, "30112": 300, "30113": 13000, "30302": 9000, "30201": 3000,
                "30231": 2500, "30217": 400}
    base = per_head.get(code, 9000 if code.startswith("301") else 1200 if code.startswith("302") else 800)
    return hundreds(staff * base * rng.uniform(0.7, 1.3))


def make_indicators(rng: random.Random, topic: str, annual: int, period_total: int, multi_year: bool) -> list[dict]:
    """A full indicator list: every 产出 二级指标, one to three 效益, one or two 满意度."""
    inds = []
    for name in rng.sample(OUTPUT_NAMES, rng.randint(1, 2)):
        inds.append({"level1": "产出指标", "level2": "数量指标", "name": name.format(topic=topic),
                     "value": rng.choice(OUTPUT_VALUES)})
    name, value = rng.choice(QUALITY)
    inds.append({"level1": "产出指标", "level2": "质量指标", "name": name, "value": value})
    name, value = rng.choice(TIMELINESS)
    inds.append({"level1": "产出指标", "level2": "时效指标", "name": name, "value": value})
    cost = {"level1": "产出指标", "level2": "成本指标", "name": f"{topic}预算控制数", "value": f"≤{period_total}元"}
    if multi_year:
        cost["annual_value"] = f"≤{annual}元"
    inds.append(cost)
    for level2, name, value in rng.sample(BENEFITS, rng.randint(1, 3)):
        inds.append({"level1": "效益指标", "level2": level2, "name": name, "value": value})
    for name, value in rng.sample(SATISFACTION, rng.randint(1, 2)):
        inds.append({"level1": "满意度指标", "level2": "服务对象满意度指标", "name": name, "value": value})
    return inds


def make_project(rng: random.Random, name: str, topic: str, function: str, year: int, sources: dict) -> dict:
    """One project: funds by source, a 绩效目标表 whose columns add up and whose 成本指标 is the budget."""
    amount = hundreds(rng.lognormvariate(12.2, 1.0))               # median ≈ 20万元
    funds = {"一般公共预算": amount}
    if sources.get("政府性基金预算") and rng.random() < 0.3:
        funds = {"政府性基金预算": amount}
    if sources.get("单位资金") and rng.random() < 0.3:
        funds["单位资金"] = hundreds(amount * rng.uniform(0.1, 0.5))
    annual = sum(funds.values())
    fiscal = sum(v for k, v in funds.items() if k in ("一般公共预算", "政府性基金预算", "国有资本经营预算"))
    own = annual - fiscal
    roll = rng.random()
    if roll < 0.6:
        attribute, period, years = "经常性项目（长期开展）", "99年", 1
    elif roll < 0.85:
        attribute, period, years = "一次性项目", "1年", 1
    else:
        years = rng.randint(2, 3)
        attribute, period = "跨年度项目", f"{years}年"
    period_local, period_own = fiscal * years, own * years
    project = {
        "name": name,
        "function": function,
        "kind": "其他运转类" if rng.random() < 0.7 else "特定目标类",
        "funds": funds,
    }
    if rng.random() < 0.1:
        project["carryover"] = {"一般公共预算": hundreds(amount * rng.uniform(0.05, 0.3))}
    texts = {k: t.format(topic=topic, year=year, basis_year=year - rng.randint(1, 6), doc=rng.randint(1, 120))
             for k, t in TEXTS.items()}
    project["performance"] = {
        "attribute": attribute,
        "period": period,
        "funding": {
            "period": {"central": 0, "provincial": 0, "local": period_local, "self_raised": period_own, "other": None},
            "annual": {"central": 0, "provincial": 0, "local": fiscal, "self_raised": own, "other": None},
            "period_total": period_local + period_own,
            "annual_total": annual,
        },
        **texts,
        "indicators": make_indicators(rng, topic, annual, period_local + period_own, years > 1),
        "contact": {"head": "", "clerk": rng.choice(CLERKS), "phone": str(rng.randint(2000000, 7999999)),
                    "date": f"{year - 1}11{rng.randint(10, 28)}{rng.randint(8, 18):02d}{rng.randint(0, 59):02d}"
                            f"{rng.randint(0, 59):02d}"},
    }
    return project


def changed(rng: random.Random, current: int) -> int:
    """Last year's figure: 3–15% (at least 300 元) off this year's, so the change shows in 万元; 0 stays 0."""
    if current == 0:
        return 0
    delta = max(300, hundreds(current * rng.uniform(0.03, 0.15)))
    return current + delta if rng.random() < 0.5 or delta >= current else current - delta


def make_unit(index: int, seed: int = 2026, year: int = 2026) -> dict:
    """The data of synthetic unit `index` (a dict ready for YAML)."""
    rng = random.Random(f"budgetdoc-synth:{seed}:{index}")
    cat = catalogue()
    near_duplicate = near_duplicate_check()
    area = rng.choice(AREAS)
    org = choose_clean(rng, lambda r: area + r.choice(ORG_TYPES))[len(area):]
    district = DISTRICTS[index // (len(AREAS) * 2) % len(DISTRICTS)] if index >= len(AREAS) * 2 else ""
    kind = rng.choices(("行政单位", "参照公务员法管理事业单位", "事业单位"), (4, 2, 3))[0]
    staff = rng.randint(8, 220)
    sources = {"单位资金": rng.random() < 0.3, "政府性基金预算": rng.random() < 0.12}

    # basic by economic, by fund source -------------------------------------------------------
    economic_codes = pick_economic(rng, cat, rng.randint(15, 30), kind)
    by_economic = []
    for code in economic_codes:
        amount = economic_amount(rng, code, staff)
        funds = {"一般公共预算": amount}
        if sources["单位资金"] and code not in ("30231", "30217") and rng.random() < 0.3:
            funds["单位资金"] = hundreds(amount * rng.uniform(0.05, 0.4))
        by_economic.append({"code": code, "name": cat.economic_names[code],
                            "category": "公用经费" if code.startswith("302") else "人员经费", "funds": funds})

    # basic by function: the same total per source, spread over 20–60 项 ---------------------------
    extra = ("2120899",) if sources["政府性基金预算"] else ()
    function_codes = pick_functions(rng, cat, rng.randint(20, 60), extra)
    weights = [rng.uniform(3, 8) if c in PERSONNEL_FUNCTIONS else rng.lognormvariate(0, 1) for c in function_codes]
    per_source: dict[str, list[int]] = {}
    for source in ("一般公共预算", "单位资金"):
        total = sum(i["funds"].get(source, 0) for i in by_economic)
        if not total:
            continue
        if source == "一般公共预算":
            per_source[source] = split(total, weights)
        else:                                                 # 单位资金 in a few 项 only
            few = sorted(rng.sample(range(len(function_codes)), min(len(function_codes), rng.randint(1, 4))))
            parts = split(total, [weights[i] for i in few])
            per_source[source] = [parts[few.index(i)] if i in few else 0 for i in range(len(function_codes))]
    by_function = []
    for n, code in enumerate(function_codes):
        item = {"code": code, "name": cat.function_names[code],
                "funds": funds_of({s: per_source[s][n] for s in per_source})}
        if rng.random() < 0.05:
            item["carryover"] = {"一般公共预算": hundreds(rng.uniform(2000, 50000))}
        by_function.append(item)

    # projects ---------------------------------------------------------------------------------
    projects, names = [], []
    topics = rng.sample(PROJECT_TOPICS, rng.randint(5, 40))
    for topic in topics:
        name = choose_clean(rng, lambda r, topic=topic: r.choice(PROJECT_PREFIXES) + topic + r.choice(PROJECT_SUFFIXES))
        if any(near_duplicate(name, other) or name == other for other in names):
            name = "Z" + topic + "专项" + str(len(names) + 1) + "期"
        names.append(name)
        function = rng.choice(function_codes)
        projects.append(make_project(rng, name, topic, function, year, sources))
    if sources["政府性基金预算"] and not any("政府性基金预算" in p["funds"] for p in projects):
        projects[0]["funds"] = {"政府性基金预算": sum(projects[0]["funds"].values())}
        projects[0]["performance"]["funding"]["annual"]["local"] += projects[0]["performance"]["funding"]["annual"]["self_raised"]
        projects[0]["performance"]["funding"]["annual"]["self_raised"] = 0
        years = int(projects[0]["performance"]["period"].rstrip("年")) if projects[0]["performance"]["period"] != "99年" else 1
        projects[0]["performance"]["funding"]["period"]["local"] = projects[0]["performance"]["funding"]["annual"]["local"] * years
        projects[0]["performance"]["funding"]["period"]["self_raised"] = 0
    for p in projects:                                       # gov-fund projects sit in the gov-fund 项
        if "政府性基金预算" in p["funds"]:
            p["function"] = "2120899"
    gov_fund = sum(p["funds"].get("政府性基金预算", 0) for p in projects)

    # 三公 = the economic items carrying it ---------------------------------------------------------
    economic_by_code = {i["code"]: i for i in by_economic}
    three_public = {"outbound": {}, "reception": {}, "vehicle_purchase": {}, "vehicle_operation": {}}
    for part, code in (("reception", "30217"), ("vehicle_operation", "30231")):
        if code in economic_by_code:
            three_public[part] = {"一般公共预算": economic_by_code[code]["funds"]["一般公共预算"]}

    # last year and the reasons for each change ---------------------------------------------------
    every = [i for i in by_function] + projects
    grand = sum(sum(i["funds"].values()) + sum(i.get("carryover", {}).values()) for i in every)
    general = sum(i["funds"].get("一般公共预算", 0) for i in every)
    office = (sum(v for i in by_economic if i["category"] == "公用经费"
                  for k, v in i["funds"].items() if k in ("一般公共预算", "政府性基金预算", "国有资本经营预算"))
              if kind in OFFICE_KINDS else 0)
    prior_three = {part: sum(f.values()) for part, f in three_public.items()}
    if rng.random() < 0.5:
        prior_three = {part: changed(rng, v) for part, v in prior_three.items()}
    prior = {"total": changed(rng, grand), "general_budget": changed(rng, general),
             "three_public": prior_three, "office_operation": changed(rng, office)}
    explanations = {"total": rng.choice(EXPLANATIONS["total"]).format(topic=topics[0]),
                    "general_budget": rng.choice(EXPLANATIONS["general_budget"])}
    if any(prior_three[p] != sum(three_public[p].values()) for p in prior_three):
        explanations["three_public"] = rng.choice(EXPLANATIONS["three_public"])
    if office:
        explanations["office_operation"] = rng.choice(EXPLANATIONS["office_operation"])

    # everything else, as in the seed -----------------------------------------------------------
    project_total = sum(sum(p["funds"].values()) for p in projects)
    goods = hundreds(project_total * rng.uniform(0.02, 0.1))
    services = hundreds(project_total * rng.uniform(0.1, 0.4))
    vehicles = rng.randint(0, 6) if "30231" in economic_by_code else 0
    uses = ("领导用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "事业单位业务用车", "其他公务用车")
    by_use = dict.fromkeys(uses, 0)
    for _ in range(vehicles):
        by_use[rng.choice(uses[1:])] += 1
    name = f"大同市{district}{area}{org}"
    data = {
        "year": year,
        "template": "shanxi-datong",
        "unit": {
            "name": name,
            "slug": f"synth-{index:04d}",
            "code": f"{900 + index % 100:03d}{index:04d}",
            "kind": kind,
            "level": "县级" if district else "市级",
            "department": {"code": f"{900 + index % 100:03d}", "name": f"大同市{district}{area}局"},
            "staff": staff,
            "duties": [t.format(area=area) for t in rng.sample(DUTY_TEMPLATES, rng.randint(5, 10))],
            "organisation": [f"{name}为{kind}，现有在职人员{staff}名，内设{rng.randint(3, 12)}个科室。",
                             "本单位预算为单位本级预算，无下属预算单位。"],
        },
        "basic": {"by_function": by_function, "by_economic": by_economic},
        "projects": projects,
        "three_public": three_public,
        "government_fund_income": ([{"code": "1030148", "name": "国有土地使用权出让收入", "amount": gov_fund}]
                                   if gov_fund else []),
        "state_capital": {"income": []},
        "prior_year": prior,
        "explanations": explanations,
        "procurement": {"goods": goods, "works": 0, "services": services},
        "overall_performance": None if rng.random() < 0.6 else {"amount": general},
        "assets": {
            "as_of": f"{year - 1}-12-31",
            "vehicles": {"quota": vehicles, "actual": vehicles, "by_use": by_use},
            "office_area": round(staff * rng.uniform(12, 30), 2),
            "equipment_over_500k": rng.randint(0, 2),
            "equipment_over_1m": 0,
        },
        "other_notes": {
            "purchase_catalogue": "我部门完全按照《山西省部门政府购买服务指导性目录》要求执行。",
            "other": "我部门无其他专项资金。",
        },
        "glossary": [],
    }
    return data


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def unit_yaml(data: dict) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000,
                     default_flow_style=False)
    return SCHEMA_LINE + "# 合成数据（benchmarks/synth.py 生成），仅供性能测试，不是真实单位。\n" + body


def write_units(folder: Path, count: int, seed: int = 2026, year: int = 2026) -> list[Path]:
    """Write units 0…count-1 as folder/synth-NNNN/<year>.yaml; return their paths."""
    paths = []
    for index in range(count):
        data = make_unit(index, seed, year)
        path = Path(folder) / data["unit"]["slug"] / f"{year}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(unit_yaml(data), encoding="utf-8")
        paths.append(path)
    return paths


def write_department(folder: Path, slugs: list[str], year: int = 2026) -> Path:
    """Write a department file of the units `slugs` as folder/synth-dept/<year>.yaml; return its path."""
    path = Path(folder) / "synth-dept" / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"year: {year}", "template: shanxi-datong", "department:", "  name: 大同市合成测试局", "  slug: synth-dept",
             "  short_name: 合成测试局", "  level: 市级", "units:", *(f"  - {slug}" for slug in slugs),
             "explanations:", "  total: 各单位项目调整", "  general_budget: 各单位人员调整",
             "  three_public: 压减公务接待和公务用车运行维护经费", "  office_operation: 压减日常公用经费",
             "other_notes:", "  purchase_catalogue: 我部门按政府购买服务指导性目录执行。", "  other: 我部门无其他专项资金。"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="写出合成的单位预算文件（性能测试用）")
    parser.add_argument("output", help="输出文件夹")
    parser.add_argument("-n", "--count", type=int, default=20, help="单位个数（默认 20）")
    parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
    parser.add_argument("--year", type=int, default=2026, help="预算年度（默认 2026）")
    args = parser.parse_args(argv)
    paths = write_units(Path(args.output), args.count, args.seed, args.year)
    print(f"写出 {len(paths)} 个单位到 {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
