"""部门预算 from its units' files: every figure the sum of the units', 机关运行经费 only over 行政 and 参公
units, the department's own wording, the checks of a department's list, and builds that rebuild a
department when one of its units changes."""
from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from budget_strategies import budgets, write_budget
from docx_read import paragraph_texts, tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from places import at

from generator.analysis.department import analyse_department
from generator.analysis.measures import STANDARD
from generator.analysis.pipeline import analyse
from generator.commands.cli import main
from generator.core.model import OFFICE_KINDS

ROOT = Path(__file__).resolve().parent.parent
UNITS = ("datong-xzsp", "datong-ggzyjy", "datong-zwfw")
DEPT = "units/datong-xzsp-dept/2026.yaml"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A copy of the Shanxi department and its three units, worked on in tmp_path."""
    for slug in UNITS + ("datong-xzsp-dept",):
        shutil.copytree(ROOT / "units" / slug, tmp_path / "units" / slug)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def test_every_department_figure_is_the_sum_of_its_units():
    dept = analyse_department(ROOT / DEPT, DEPT)
    assert dept.ok, [p.format() for p in dept.problems]
    units = [analyse(ROOT / "units" / slug / "2026.yaml") for slug in UNITS]
    for measure in STANDARD:
        assert dept.figures.amount(measure) == sum(u.figures.amount(measure) for u in units), measure
    codes = {c[:n] for u in units for c in u.facts.codes["function"] for n in (3, 5, 7)}
    for code in codes:
        for measure in ("total", "basic", "project", "fiscal", "carry"):
            assert dept.figures.amount(measure, code=code) == sum(u.figures.amount(measure, code=code) for u in units)


def test_table_11_lists_the_units_under_the_department_total(repo, capsys):
    assert main(["build", DEPT, "-o", "out", "--no-toc-pages"]) == 0
    office = tables(repo / "out" / "datong-xzsp-dept-2026.docx")[10]
    names = ["部门合计", "大同市行政审批服务管理局", "大同市公共资源交易中心（大同市政府采购中心）", "大同市政务服务中心"]
    assert [row[0] for row in office[2:]] == names
    units = [analyse(repo / "units" / slug / "2026.yaml").figures for slug in UNITS]
    expected = [sum(f.amount("office_operation") for f in units)] + [f.amount("office_operation") for f in units]
    assert [row[1] for row in office[2:]] == [f"{(v / 10000).quantize(Decimal('0.01')):.2f}" if v else "" for v in expected]
    assert office[-1][1] == ""                                    # the 事业单位 reports no 机关运行经费
    texts = paragraph_texts(repo / "out" / "datong-xzsp-dept-2026.docx")
    assert "2026年度部门预算公开" in texts and "一、本部门职责" in texts
    assert any(t.startswith("本部门机关运行经费财政拨款预算") for t in texts)
    import docx
    assert docx.Document(str(repo / "out" / "datong-xzsp-dept-2026.docx")).core_properties.comments == (
        "部门预算：由 3 个单位的单位预算文件推算（datong-xzsp、datong-ggzyjy、datong-zwfw）；上年数为各单位文件上年数之和")


def test_each_performance_form_names_the_unit_that_carries_the_project_out(repo):
    """A department's 绩效目标表 keep their units: 主管部门 the department, 实施单位 the unit whose file
    holds the project (not the department's name on every form)."""
    assert main(["build", DEPT, "-o", "out", "--no-toc-pages"]) == 0
    forms = [t for t in tables(repo / "out" / "datong-xzsp-dept-2026.docx") if len(t) > 1 and t[1][0] == "主管部门及代码"]
    expected = [(p.performance.name, a.budget.unit.name) for slug in UNITS
                for a in [analyse(repo / "units" / slug / "2026.yaml")] for p in a.budget.projects if p.performance]
    assert len(forms) == len(expected) > 3
    filled = [[[c for c in row if c] for row in form[:2]] for form in forms]       # merged cells read once
    assert sorted((name[1], who[3]) for name, who in filled) == sorted(expected)
    assert {who[1] for _, who in filled} == {"032-大同市行政审批服务管理局"}


def unit_file(root: Path, slug: str, data: dict) -> None:
    data = {**data, "unit": {**data["unit"], "slug": slug, "name": f"测试单位{slug}"}}
    write_budget(data, root)


def department_file(root: Path, slugs: list[str], year: int) -> Path:
    path = root / "units" / "dept" / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    listed = "\n".join(f"  - {s}" for s in slugs)
    path.write_text(f"year: {year}\ntemplate: shanxi-datong\ndepartment:\n  name: 测试部门\n  slug: dept\n  level: 市级\n"
                    f"units:\n{listed}\nother_notes: {{purchase_catalogue: 无, other: 无}}\n", encoding="utf-8")
    return path


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(budgets(), min_size=2, max_size=4))
def test_a_random_department_is_the_sum_of_its_random_units(members):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        year = members[0]["year"]
        slugs = [f"u{i}" for i in range(len(members))]
        for slug, data in zip(slugs, members):
            unit_file(root, slug, {**data, "year": year})
        dept = analyse_department(department_file(root, slugs, year))
        assert dept.ok, [p.format() for p in dept.problems if p.severity == "error"]
        units = [analyse(root / "units" / s / f"{year}.yaml") for s in slugs]
        for measure in STANDARD:
            assert dept.figures.amount(measure) == sum(u.figures.amount(measure) for u in units), measure
        public = {"axis": "economic", "category": "公用经费", "source": "财政拨款"}
        office = sum(u.figures.amount(public) for u in units if u.budget.unit.kind in OFFICE_KINDS)
        assert dept.figures.amount("office_operation") == office
        assert [(m.slug, m.kind, m.merged) for m in dept.members] == [(s, u.budget.unit.kind, False) for s, u in zip(slugs, units)]


def replace_in(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1)


def errors_of(capsys) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if ": 错误：" in line]


def test_a_unit_file_that_is_missing(repo, capsys):
    text = replace_in(repo / DEPT, "  - datong-zwfw", "  - datong-none")
    assert main(["check", DEPT]) == 1
    assert errors_of(capsys) == [f"{DEPT}:{at('- datong-none', 'datong', text)}: 错误：找不到单位“datong-none”的文件 "
                                 "units/datong-none/2026.yaml；部门的每个单位都应有 2026 年的单位预算文件"]


def test_a_unit_of_another_year_pack_or_department(repo, capsys):
    unit = repo / "units" / "datong-zwfw" / "2026.yaml"
    replace_in(unit, "code: '032'", "code: '033'")
    text = (repo / DEPT).read_text(encoding="utf-8")
    assert main(["check", DEPT]) == 1
    line, theirs = at("code: '033'", "'", unit.read_text(encoding="utf-8")), at('code: "032"', '"', text)
    assert errors_of(capsys) == [f"units/datong-zwfw/2026.yaml:{line}: 错误：本单位的主管部门编码是 033，而部门 {DEPT} 的编码是 032；"
                                 f"二者应一致（相关行：{DEPT}:{theirs}）"]


def test_a_unit_with_errors_stops_its_department(repo, capsys):
    replace_in(repo / "units" / "datong-zwfw" / "2026.yaml", "year: 2026", "year: 二〇二六")
    text = (repo / DEPT).read_text(encoding="utf-8")
    assert main(["check", DEPT]) == 1
    assert f"{DEPT}:{at('- datong-zwfw', 'datong', text)}: 错误：单位“datong-zwfw”的文件 units/datong-zwfw/2026.yaml " \
           "有错误，部门预算无法推算；请先修正该单位（budgetdoc check units/datong-zwfw/2026.yaml）" in errors_of(capsys)


def test_a_unit_in_two_departments(repo, capsys):
    other = repo / "units" / "other-dept" / "2026.yaml"
    other.parent.mkdir()
    text = (repo / DEPT).read_text(encoding="utf-8").replace("slug: datong-xzsp-dept", "slug: other-dept")
    other.write_text(text, encoding="utf-8")
    assert main(["check", DEPT, "units/other-dept/2026.yaml"]) == 1
    place = at("- datong-xzsp\n", "datong", text)
    assert (f"units/other-dept/2026.yaml:{place}: 错误：单位“datong-xzsp”已列在部门 {DEPT} 中；一个单位只能属于一个部门"
            f"（相关行：{DEPT}:{place}）") in errors_of(capsys)


def test_a_change_to_one_unit_rebuilds_that_unit_and_its_department(repo, capsys):
    shutil.copytree(ROOT / "units" / "putuo-commerce", repo / "units" / "putuo-commerce")     # not in the department
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    capsys.readouterr()
    replace_in(repo / "units" / "datong-zwfw" / "2026.yaml", "  - 完成大同市行政审批服务管理局交办的其他任务。",
               "  - 完成局交办的其他任务。")
    assert main(["build", "units", "-o", "out", "--no-toc-pages"]) == 0
    log = capsys.readouterr().err
    built = sorted(line.split("已生成 ")[1] for line in log.splitlines() if "已生成" in line)
    assert built == ["out/datong-xzsp-dept-2026.docx", "out/datong-zwfw-2026.docx"]
    assert "完成：生成 2 个，未变化 3 个，失败 0 个" in log


def test_diff_of_a_department(repo, capsys):
    new = repo / "new" / "datong-xzsp-dept" / "2026.yaml"
    new.parent.mkdir(parents=True)
    new.write_text((repo / DEPT).read_text(encoding="utf-8").replace("严格压减日常公用经费", "压减日常公用经费"), encoding="utf-8")
    for slug in UNITS:
        shutil.copytree(repo / "units" / slug, repo / "new" / slug)
    assert main(["diff", DEPT, str(new)]) == 0
    out = capsys.readouterr().out
    assert "### 报表：没有变化" in out and "- 主要原因是局本部严格压减日常公用经费 → 主要原因是局本部压减日常公用经费" in out.splitlines()


def test_a_unit_slug_too_long_for_a_folder_name(repo, capsys):
    """A slug of 300 letters names no folder the system can hold (its limit is 255 bytes): the list says
    so at its line as the unit file's own slug would, instead of the file system's error."""
    text = replace_in(repo / DEPT, "  - datong-zwfw", "  - " + "a" * 300)
    assert main(["check", DEPT]) == 1
    assert errors_of(capsys) == [f"{DEPT}:{at('- aaa', 'aaa', text)}: 错误：units.2（单位标识） 过长：最多 64 个字符，这里有 300 个"]
