"""Waivers: a lint switched off for one unit, only with a reason written in its YAML.

    waivers:
      - rule: L11                       # the rule
        field: explanations.total       # optional: the text it covers (a data path); every text if left out
        reason: 30.00万元为……上年预算数，见同财预【2025】12号   # required

Applied where the problems are collected (``pipeline.analyse``), never inside a rule. A waived
problem is not dropped: it is kept beside its waiver, and ``check`` lists it in its summary with
the reason. A waiver that waives nothing is a warning; a waiver without a reason is an error (the
schema requires a non-blank ``reason``). Only lints can be waived, never an error of the data.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.core.model import Budget, Waiver
from generator.core.problems import Pos, Problem, dotted_path, related_place


@dataclass(frozen=True)
class Waived:
    problem: Problem
    waiver: Waiver
    at: Pos                     # where the waiver is written

    def format(self) -> str:
        """units/x/2026.yaml:786:30: 已豁免 L11：…（豁免理由：…；豁免写在第812行）"""
        p = self.problem
        return (f"{p.pos}: 已豁免 {p.rule}：{p.message}（豁免理由：{self.waiver.reason}；"
                f"豁免写在{related_place(p.pos, self.at)}）")

    def as_json(self) -> dict:
        return {**self.problem.as_json(), "waived": {"reason": self.waiver.reason, "file": self.at.file,
                                                     "line": self.at.line, "column": self.at.col}}


def covers(budget: Budget, waiver: Waiver, problem: Problem) -> bool:
    """The waiver's rule, and its text: the problem's data path lies within the waiver's field
    (a problem that names no path: it stands where the field does)."""
    if problem.severity == "error" or problem.rule != waiver.rule:
        return False
    if not waiver.field:
        return True
    if problem.path:
        return problem.path[:len(waiver.field)] == waiver.field
    return problem.pos == budget.pos(waiver.field)


def apply_waivers(budget: Budget, problems: list[Problem]) -> tuple[list[Problem], list[Waived]]:
    """(the problems left, each waived problem with its waiver); a warning for each unused waiver."""
    left, waived = [], []
    used = set()
    for problem in problems:
        waiver = next((w for w in budget.waivers if covers(budget, w, problem)), None)
        if waiver is None:
            left.append(problem)
        else:
            waived.append(Waived(problem, waiver, budget.pos(waiver.path)))
            used.add(waiver.path)
    for waiver in budget.waivers:
        if waiver.path not in used:
            left.append(unused_waiver(budget, waiver))
    return left, waived


def unused_waiver(budget: Budget, waiver: Waiver) -> Problem:
    where = f"{dotted_path(waiver.field)} 中" if waiver.field else "本单位"
    return Problem(budget.pos(waiver.path), f"豁免（rule: {waiver.rule}）没有豁免任何警告：{where}没有 {waiver.rule} 的警告；"
                                            "请删去这条豁免（豁免只留给确有警告、核实无误的文字）", "warning")

