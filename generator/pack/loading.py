"""A template pack is a checked contract (DESIGN.md §10.4): the folder ``templates/<name>/`` that holds
everything a region words or lays out its own way —

    pack.yaml      settings, words and the look  tables.yaml   the tables, as views of the facts
    glossary.yaml  名词解释                        *.j2          the document (document.j2) and its macros

Loading reads every file with positions, validates the YAML against schema/pack.schema.json, checks
what a schema cannot (format strings and their fields, measures, header and column widths, Jinja
syntax) and raises PackError with every problem at the pack file's line. A loaded pack is sound.
"""
from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
from jinja2.sandbox import SandboxedEnvironment, safe_range

from generator.analysis.cube import Filter
from generator.analysis.measures import compile_measures
from generator.core.kept import keep, kept_path, read_kept
from generator.core.model import Budget
from generator.core.money import MoneyFormat
from generator.core.places import pack_folder, pack_names, project_folder
from generator.core.positions import Source
from generator.core.problems import BudgetdocError, PackError, Pos, Problem, error
from generator.docmodel import GB_T_9704, Look, one_line_size, too_long_message
from generator.pack.look import compiled_looks
from generator.pack.tables import DeclarationError, Side, bad_fields, sides_of
from generator.pack.wording import FILTERS, as_paragraphs, finalize

PACK_SCHEMA = project_folder("schema") / "pack.schema.json"
YAML_FILES = {"pack.yaml": "pack", "tables.yaml": "tables", "glossary.yaml": "glossary"}
JINJA_MESSAGES = (
    ("unexpected end of template", "模板意外结束：缺少结束标签（如 {% endfor %}、{% endif %}）"),
    ("Encountered unknown tag", "未知的标签"),
    ("unexpected char", "此处不能出现的字符"),
    ("expected token", "此处应为另一个记号"),
    ("unexpected", "此处不能出现"),
)


@dataclass(frozen=True)
class TableDecl:
    """One table of tables.yaml, checked and compiled."""
    id: str
    number: int
    title: str
    toc: str | None
    widths: tuple[float, ...]
    header: tuple
    sides: tuple[Side, ...]
    money: MoneyFormat
    unit_label: str
    note: str | None
    empty_note: str
    min_rows: int
    landscape: bool
    font_size: float | None             # None: the look's table_text size


@dataclass(frozen=True)
class Pack:
    name: str
    settings: dict
    tables: tuple[TableDecl, ...]
    glossary: list
    env: BoundedEnvironment
    glossary_templates: tuple              # (term, paragraph templates), compiled with the pack
    measures: Mapping[str, Filter]
    text_money: MoneyFormat
    folder: Path
    department_tables: tuple[TableDecl, ...] = ()
    look: Look = GB_T_9704
    department_look: Look = GB_T_9704

    def look_of(self, kind: str = "unit") -> Look:
        """The look of the kind of document (a department's: with its `department: look:` over the unit's)."""
        return self.department_look if kind == "department" else self.look

    def tables_of(self, kind: str = "unit") -> tuple[TableDecl, ...]:
        """The tables as the kind of document shows them (a department's with its `department:` overrides)."""
        return self.department_tables if kind == "department" else self.tables

    def table(self, ref: str, kind: str = "unit") -> TableDecl:
        """A table by its id or its number (as document.j2's @table names it), as the kind of document shows it."""
        for decl in self.tables_of(kind):
            if ref in (decl.id, str(decl.number)):
                return decl
        raise PackError(f"模板包“{self.name}”没有报表“{ref}”，可用：{'、'.join(d.id for d in self.tables)}")

    def words(self, kind: str = "unit") -> dict:
        """pack.yaml's settings, with its `department:` overrides for a department's document."""
        return settings_of(self.settings, kind)

    def template(self, kind: str = "unit") -> str:
        """The document template: document.j2 for a unit, department.j2 for a department."""
        name = "department.j2" if kind == "department" else "document.j2"
        if not (self.folder / name).is_file():
            raise PackError(f"模板包“{self.name}”没有 {name}，不能生成{'部门' if kind == 'department' else '单位'}预算")
        return name


def settings_of(settings: Mapping[str, Any], kind: str) -> dict:
    """pack.yaml's settings as one kind of document takes them: a department's with its `department:` over them."""
    return {**settings, **(settings.get("department") or {})} if kind == "department" else dict(settings)


def display(path: Path) -> str:
    """A pack file as a message names it: relative to the current folder when it is below it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


def check_pack_exists(budget: Budget) -> list[Problem]:
    """The unit's `template:` names a pack that is there."""
    if pack_folder(budget.template) is not None:
        return []
    return [error(budget.pos("template"), missing_pack_message(budget.template))]


def missing_pack_message(name: str) -> str:
    return f"模板包“{name}”不存在（templates/{name}/pack.yaml），可用的模板包：{'、'.join(pack_names())}"


@lru_cache(maxsize=8)
def load_pack(name: str) -> Pack:
    """The pack `name`, checked; PackError with every problem found."""
    folder = pack_folder(name)
    if folder is None:
        raise PackError(missing_pack_message(name))
    sources, problems = read_pack_files(folder)
    if problems:
        raise PackError(problems)
    settings, glossary = sources["pack.yaml"].data, sources["glossary.yaml"].data["terms"]
    text_money = money_format(settings.get("text_money"), MoneyFormat())
    env = make_env(folder, text_money)
    problems += template_problems(env, folder)
    problems += format_problems(sources)
    if settings["name"] != name:
        problems.append(error(sources["pack.yaml"].pos(("name",)), f"name 为“{settings['name']}”，与模板包文件夹名“{name}”不同"))
    measures, found = compiled_measures(sources["pack.yaml"])
    problems += found + chart_problems(sources["pack.yaml"], settings, measures)
    look, department_look, found = compiled_looks(sources["pack.yaml"])
    problems += found
    tables, found = compiled_tables(sources["tables.yaml"], settings, measures, look=look)
    problems += found
    department_tables, found = compiled_tables(sources["tables.yaml"], settings_of(settings, "department"), measures, "department",
                                               department_look)
    problems += [p for p in found if p not in problems]
    glossary_templates, found = compiled_glossary(sources["glossary.yaml"], env)
    problems += found
    if problems:
        raise PackError(problems)
    return Pack(name, settings, tables, glossary, env, glossary_templates, measures, text_money, folder, department_tables,
                look, department_look)


def read_pack_files(folder: Path) -> tuple[dict[str, Source], list[Problem]]:
    from generator.source.load import load_file
    sources, problems = {}, []
    for file, definition in YAML_FILES.items():
        path = folder / file
        if not path.is_file():
            problems.append(error(Pos(display(folder)), f"模板包缺少文件 {file}"))
            continue
        try:
            source = load_file(path, display(path), PACK_FILE)
        except BudgetdocError as exc:
            problems += exc.problems
            continue
        problems += schema_problems(definition, source)
        sources[file] = source
    if not (folder / "document.j2").is_file():
        problems.append(error(Pos(display(folder)), "模板包缺少文件 document.j2"))
    return sources, problems


PACK_FILE = "模板包文件"                 # what a pack's file is called in the messages about reading it
SOUND = b"sound\n"                    # what a kept mark of a sound pack file holds


def schema_problems(definition: str, source: Source) -> list[Problem]:
    """What the pack schema's `definition` finds wrong with a pack file. Data that a run before found
    sound against the same schema is not validated again (a kept mark by the data, the schema and
    jsonschema's version): validating a pack took ~0.1 s of each process's first unit."""
    from generator.source.validate import leaf_errors, problem_of
    sound = kept_path("pack-sound", repr((definition, repr(source.data), PACK_SCHEMA.read_bytes(),
                                          jsonschema_version())), "")
    if read_kept(sound) == SOUND:
        return []
    errors = sorted(pack_validator(definition).iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        keep(sound, SOUND)
    return [problem_of(source, e) for e in leaf_errors(errors)]


@lru_cache(maxsize=1)
def jsonschema_version() -> str:
    from importlib.metadata import version
    return version("jsonschema")


@lru_cache(maxsize=4)
def pack_validator(definition: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(PACK_SCHEMA.read_text(encoding="utf-8"))
    root = {"$schema": schema["$schema"], "$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
    return jsonschema.Draft202012Validator(root)


MAX_POWER = 1000                      # {{ 10 ** 10 ** 10 }} would compute for ever
MAX_REPEAT = 1_000_000                # {{ "x" * 10 ** 10 }}: characters (or items) of a repeated text (or list)
MAX_NUMBERS = 1_000_000               # what all the range() calls of one rendering give together


class BoundedEnvironment(SandboxedEnvironment):
    """A pack's templates are data, like its YAML: they cannot reach Python's internals (`__class__`),
    `range` gives at most 100,000 numbers a call and MAX_NUMBERS a rendering (loops in loops), and a
    power or a repetition too large for any document is refused (OverflowError, reported at the
    template's line) instead of computing for ever."""
    intercepted_binops = frozenset(["**", "*"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = self.bounded_range
        self.numbers_left = MAX_NUMBERS

    def rendering(self) -> None:
        """A rendering begins: its range() calls share a fresh MAX_NUMBERS."""
        self.numbers_left = MAX_NUMBERS

    def bounded_range(self, *args: int) -> range:
        numbers = safe_range(*args)
        self.numbers_left -= len(numbers)
        if self.numbers_left < 0:
            raise OverflowError("range")
        return numbers

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | Decimal) and abs(right) > MAX_POWER:
            raise OverflowError(operator)
        if operator == "*" and repeated_size(left, right) > MAX_REPEAT:
            raise OverflowError(operator)
        return super().call_binop(context, operator, left, right)


def repeated_size(left, right) -> int:
    """How long `left * right` becomes when one side is a text or a list (0 for a product of numbers)."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * abs(times)
    return 0


def make_env(folder: Path, text_money: MoneyFormat) -> BoundedEnvironment:
    """The pack's Jinja2 environment: StrictUndefined (a misspelled name is an error), every value a
    template prints goes through `finalize`, so that no text can become a directive, and the filter
    `money` prints an amount as the pack's sentences do."""
    env = BoundedEnvironment(loader=PackLoader(folder), undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False,
                             finalize=finalize)
    env.filters.update(FILTERS, money=text_money.format)
    env.bytecode_cache = kept_templates(compiled_by(env))
    return env


class PackLoader(jinja2.FileSystemLoader):
    """Jinja2's loader of the pack's folder, reading each template as the pack's YAML files are read
    (source.load.read_text: a regular file, not too large, in UTF-8, its byte-order mark dropped;
    no control characters, which no document can hold), so that a template that cannot be read is
    BudgetdocError at its place, not a traceback."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        from generator.source.load import character_problems, read_text
        path = Path(self.searchpath[0], *jinja2.loaders.split_template_path(template))
        if not path.exists():
            raise jinja2.TemplateNotFound(template)
        text = read_text(path, display(path), PACK_FILE)
        problems = character_problems(text, display(path), PACK_FILE)
        if problems:
            raise BudgetdocError(problems)
        mtime = os.path.getmtime(path)
        return text, os.path.normpath(path), lambda: unchanged_since(path, mtime)


def unchanged_since(path: Path, mtime: float) -> bool:
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


class KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's own cache of compiled templates (each found by its name and file, and used only while
    its source is unchanged), in the cache folder: compiling a pack's templates took 85 of the
    134 ms of loading it, in every process. A damaged file is compiled again; a folder that cannot
    be read or written costs the compiling and nothing else."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 — damaged (Jinja2 checks the marshal data, not the pickled checksum) or unreadable
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)


# What the code Jinja2 compiles a template to depends on, beside the template's source and Jinja2's
# version: how the environment reads templates, and what its code calls (a sandbox's code calls it
# for each operator it watches, an environment with `finalize` for each value it prints).
COMPILED_BY = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
               "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
               "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "autoescape",
               "optimized", "is_async", "sandboxed", "intercepted_binops", "intercepted_unops")


def compiled_by(env: jinja2.Environment) -> str:
    return json.dumps([jinja2.__version__, type(env).__qualname__, env.finalize is not None]
                      + [repr(sorted(value) if isinstance(value, frozenset) else value)
                         for value in (getattr(env, name, None) for name in COMPILED_BY)])


@lru_cache(maxsize=4)
def kept_templates(key: str) -> KeptTemplates | None:
    """The compiled templates of every pack read by an environment like this one (`key`: compiled_by)."""
    folder = kept_path("templates", key, "")
    return KeptTemplates(str(folder)) if folder is not None else None


# what a schema cannot check ----------------------------------------------------------------------

def template_problems(env: jinja2.Environment, folder: Path) -> list[Problem]:
    """Every template compiles; a syntax error is reported at its line."""
    problems = []
    for path in sorted(folder.glob("*.j2")):
        try:
            env.get_template(path.name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(error(Pos(display(path), exc.lineno or 1, 1), jinja_message(exc.message or "")))
        except BudgetdocError as exc:
            problems += exc.problems
    return problems


def jinja_message(message: str) -> str:
    """A Jinja syntax error in Chinese, Jinja's own words kept for the detail."""
    zh = next((zh for en, zh in JINJA_MESSAGES if en.lower() in message.lower()), "模板语法错误")
    return f"模板语法错误：{zh}（{message}）"


def format_problems(sources: Mapping[str, Source]) -> list[Problem]:
    """Every format string (a schema node with x-fields) names only the fields it may use."""
    schema = json.loads(PACK_SCHEMA.read_text(encoding="utf-8"))
    problems = []
    for file, definition in YAML_FILES.items():
        source = sources[file]
        for path, value, fields in format_strings(source.data, schema["$defs"][definition], schema, ()):
            wrong = bad_fields(value, fields)
            if wrong:
                allowed = "、".join("{" + f + "}" for f in fields) or "无"
                problems.append(error(source.pos(path), f"格式“{value}”中{wrong}；这里可用的字段：{allowed}"))
    return problems


def format_strings(data: Any, node: Mapping[str, Any], root: Mapping[str, Any], path: tuple) -> Iterator[tuple]:
    """(path, value, allowed fields) of every string in `data` that the schema marks with x-fields."""
    if "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if "x-fields" in node and isinstance(data, str):
        yield path, data, node["x-fields"]
    for branch in node.get("oneOf", ()):           # the branch of the data's kind (a header cell: text, or {text, …})
        if branch.get("type") == ("object" if isinstance(data, dict) else "string" if isinstance(data, str) else None):
            yield from format_strings(data, branch, root, path)
    if isinstance(data, dict):
        for key, value in data.items():
            child = node.get("properties", {}).get(key) or node.get("additionalProperties")
            if isinstance(child, dict):
                yield from format_strings(value, child, root, path + (key,))
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        for i, value in enumerate(data):
            yield from format_strings(value, node["items"], root, path + (i,))


def compiled_measures(source: Source) -> tuple[dict[str, Filter], list[Problem]]:
    extra = source.data.get("measures") or {}
    problems = []
    measures = compile_measures()
    for name, spec in extra.items():
        try:
            measures.update(compile_measures({name: resolved(spec, measures)}))
        except (ValueError, KeyError) as exc:
            problems.append(error(source.pos(("measures", name)), f"指标“{name}”：{exc}"))
    return measures, problems


def resolved(spec: Mapping[str, Any], measures: Mapping[str, Filter]) -> dict[str, Any]:
    """A measure declared as {measure: other, …}: the other's coordinates with these over them."""
    if "measure" not in spec:
        return dict(spec)
    if spec["measure"] not in measures:
        raise KeyError(f"引用了未知的指标“{spec['measure']}”")
    base = {key: list(values) for key, values in measures[spec["measure"]]}
    return {**base, **{k: v for k, v in spec.items() if k != "measure"}}


def money_format(spec: Mapping[str, Any] | None, default: MoneyFormat) -> MoneyFormat:
    spec = spec or {}
    return MoneyFormat(spec.get("unit", default.unit), int(spec.get("places", default.places)),
                       bool(spec.get("separators", default.separators)), str(spec.get("zero", default.zero)))


def compiled_tables(source: Source, settings: Mapping[str, Any], measures: Mapping[str, Filter],
                    kind: str = "unit", look: Look = GB_T_9704) -> tuple[tuple, list]:
    """The tables of tables.yaml as one kind of document shows them (a department's: each with its
    `department:` overrides), each title checked to fit one line of its page in `look`."""
    table_money = money_format(settings.get("table_money"), MoneyFormat(zero=""))
    decls: list[TableDecl] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for n, declared in enumerate(source.data["tables"], 1):
        spec = {**declared, **(declared.get("department") or {})} if kind == "department" else declared
        at = ("tables", n - 1) + (("department",) if kind == "department" and "department" in declared else ())
        if spec["id"] in seen:
            problems.append(error(source.pos(at + ("id",)), f"报表标识“{spec['id']}”重复（第{seen[spec['id']]}张表已用）"))
        seen.setdefault(spec["id"], n)
        try:
            sides = sides_of(spec, measures)
        except DeclarationError as exc:
            problems.append(error(source.pos(at + exc.path), f"报表“{spec['id']}”：{exc}"))
            continue
        own_title = kind == "department" and "title" in (declared.get("department") or {})
        title_at = (at if own_title else ("tables", n - 1)) + ("title",)
        problems += width_problems(source, at, spec, sides) + title_problems(source, title_at, spec, look)
        if spec.get("note") == "rounding" and "rounding_note" not in settings:
            note_at = (at if kind == "department" and "note" in (declared.get("department") or {}) else ("tables", n - 1)) + ("note",)
            problems.append(error(source.pos(note_at), "note: rounding 要在表后印 pack.yaml 的 rounding_note（尾差说明），"
                                                      "但 pack.yaml 中没有 rounding_note；请写上，或去掉这里的 note"))
        decls.append(TableDecl(
            spec["id"], n, spec["title"], spec.get("toc"), tuple(float(w) for w in spec["widths"]), tuple(spec["header"]), sides,
            money_format(spec.get("money"), table_money), spec.get("unit_label", settings["unit_label"]),
            spec.get("note"), spec.get("empty_note", settings["empty_table_note"]), int(spec.get("min_rows", 0)),
            bool(spec.get("landscape", False)), float(spec["font_size"]) if "font_size" in spec else None))
    return tuple(decls), problems


def chart_problems(source: Source, settings: Mapping[str, Any], measures: Mapping[str, Filter]) -> list[Problem]:
    """A unit's document's charts and a department's: each names measures there are (its classes, its
    items'), and a pack with charts says what to print in place of one without data (empty_chart_note):
    a unit without the figures would find it missing."""
    own_charts = "charts" in (settings.get("department") or {})
    problems: list[Problem] = []
    for words, at in ((settings, ("charts",)),
                      (settings_of(settings, "department"), ("department", "charts") if own_charts else ("charts",))):
        found = [error(source.key_pos(at), "有 charts（图表）时须写 empty_chart_note（无图说明）：某幅图没有数据时，"
                                           "文件在图的位置印它，如“注：本年无{title}所需数据”")] if (
            words.get("charts") and "empty_chart_note" not in words) else []
        for name, chart in (words.get("charts") or {}).items():
            data = chart.get("data") or {}
            named: list[tuple[tuple, Any]] = [(("data", "classes"), data["classes"])] if "classes" in data else []
            named += [(("data", "items", i, "measure"), item["measure"]) for i, item in enumerate(data.get("items") or ())]
            found += [error(source.pos(at + (name,) + path), f"图表“{name}”引用了未知的指标“{measure}”，可用：{'、'.join(measures)}")
                      for path, measure in named if measure not in measures]
        problems += [problem for problem in found if problem not in problems]
    return problems


def title_problems(source: Source, at: tuple, spec: Mapping[str, Any], look: Look) -> list[Problem]:
    """A table's title (written at `at`) that fits on one line of its page at no size the writer may
    set it (in any year: four digits are as wide in every year)."""
    title_look = look.style("table_title")
    width = look.page.text_width_mm(bool(spec.get("landscape", False)) or look.page.landscape)
    try:
        title = spec["title"].format(year="2026")
    except (KeyError, IndexError, ValueError):
        return []                                   # format_problems reports the field
    if one_line_size(title, title_look.size_pt, width, title_look.spacing_pt) is not None:
        return []
    return [error(source.pos(at), too_long_message(title, width, title_look.spacing_pt, spec["title"]))]


def width_problems(source: Source, at: tuple, spec: Mapping[str, Any], sides: tuple[Side, ...]) -> list[Problem]:
    """The header, the columns and the widths describe the same number of columns."""
    columns = sum(len(side.columns) for side in sides)
    problems = []
    grid = header_widths(spec["header"])
    for r, width in enumerate(grid):
        if width != columns:
            problems.append(error(source.pos(at + ("header", r)),
                                  f"报表“{spec['id']}”表头第{r + 1}行占 {width} 列，而表体有 {columns} 列"))
    if len(spec["widths"]) != columns:
        problems.append(error(source.pos(at + ("widths",)),
                              f"报表“{spec['id']}”列宽有 {len(spec['widths'])} 个，而表体有 {columns} 列"))
    return problems


def header_widths(header: list) -> list[int]:
    """How many grid columns each header row covers, counting the cells that rows above span into it."""
    covered: dict[int, int] = {}            # row -> columns taken by rowspans from above
    widths = []
    for r, row in enumerate(header):
        width = covered.get(r, 0)
        for cell in row:
            span = 1 if isinstance(cell, str) else int(cell.get("colspan", 1))
            rows = 1 if isinstance(cell, str) else int(cell.get("rowspan", 1))
            width += span
            for below in range(r + 1, r + rows):
                covered[below] = covered.get(below, 0) + span
        widths.append(width)
    return widths


def compiled_glossary(source: Source, env: jinja2.Environment) -> tuple[tuple, list[Problem]]:
    """The glossary as (term, compiled template of each paragraph): compiled once, with the pack."""
    terms, problems = [], []
    for i, t in enumerate(source.data["terms"]):
        compiled = []
        for p in as_paragraphs(t["text"]):
            try:
                compiled.append(env.from_string(p))
            except jinja2.TemplateSyntaxError as exc:
                problems.append(error(source.pos(("terms", i, "text")), jinja_message(exc.message or "")))
        terms.append((t["term"], tuple(compiled)))
    return tuple(terms), problems
