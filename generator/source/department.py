"""A department file (units/<slug>/<year>.yaml with a top-level `units:` list): load, validate against
schema/department.schema.json (which refers to the unit schema for what the two share), construct.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

from generator.core.model import Department
from generator.core.places import project_folder
from generator.core.positions import Source
from generator.core.problems import Problem
from generator.source.construct import build_prior_year
from generator.source.validate import leaf_errors, load_schema, problem_of

DEPARTMENT_SCHEMA = project_folder("schema") / "department.schema.json"
@lru_cache(maxsize=1)
def department_validator() -> jsonschema.Draft202012Validator:
    unit = load_schema()
    registry = Registry().with_resource(unit["$id"], Resource.from_contents(unit))
    return jsonschema.Draft202012Validator(json.loads(DEPARTMENT_SCHEMA.read_text(encoding="utf-8")), registry=registry)


def validate_department(source: Source) -> list[Problem]:
    errors = sorted(department_validator().iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path)))
    return [problem_of(source, e) for e in leaf_errors(errors)]


def build_department(source: Source) -> Department:
    d = source.data
    dept = d["department"]
    merged = d.get("merged")
    return Department(
        year=d["year"], template=d["template"], name=dept["name"], slug=dept["slug"],
        short_name=dept.get("short_name", dept["name"]), code=str(dept.get("code", "")), level=dept["level"],
        units=tuple(d["units"]),
        merged=None if merged is None else tuple((m["name"], m["kind"]) for m in merged),
        profile=tuple(dept.get("profile", ())), duties=tuple(dept.get("duties", ())),
        organisation=tuple(dept.get("organisation", ())),
        prior_year=build_prior_year(d["prior_year"]) if "prior_year" in d else None,
        explanations={k: v.strip() for k, v in (d.get("explanations") or {}).items() if v and v.strip()},
        other_notes=d.get("other_notes") or {},
        glossary=tuple((g["term"], g["text"]) for g in d.get("glossary", [])),
        source=source,
    )


def unit_file(department_file: Path, slug: str, year: int) -> Path:
    """Where a department's unit file is: units/<slug>/<year>.yaml beside the department's own folder."""
    return department_file.parent.parent / slug / f"{year}.yaml"
