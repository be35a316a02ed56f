"""From observations to leaves: which leaf each cell sets, read from the filters alone.

A leaf is a fact's coordinates without its amount (a slot): a function 项 × fund source × 基本/项目 ×
人员/公用 × period × project, an economic 款 × source × 人员/公用, a “三公” part × source, an income
row. Every observation says: the slots its filter matches add up to its amount. Amounts are never
negative, so an observation of zero makes each of its slots zero; an observation with one slot left
unknown sets it (the most specific observation first, so that a leaf is credited to its own cell
and the 合计 rows are then checked against it). What remains is resolved as a unit's data requires:

    projects   a project has one function 项: when the tables do not name it (表十二 prints no codes),
               the assignments of projects to 项 that fit every table are searched; one that fits is
               taken, and when several do, it is marked to be checked
    splits     a sum the tables give only as a whole (上海 人员经费/公用经费 by 类, not by 项) is split
               in order, each part marked to be filled in

Every observation whose slots are all known is then a check: a 合计 that differs from its rows, a
table that differs from another, is a problem at its cell; a 万元 sheet of rounded figures may differ
by its rounding (尾差), which is said once, not as an error.
"""
from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from generator.analysis.cube import PREFIX_AXES, Filter
from generator.workbook.observe import Observation

ZERO = Decimal(0)
SEARCH_LIMIT = 500                        # assignments the project search may try (then what it found is marked to check)


class Slot(tuple):
    """(axis, code, source, nature, category, period, project)."""
    __slots__ = ()
    FIELDS = ("axis", "code", "source", "nature", "category", "period", "project")

    @property
    def axis(self) -> str:
        return self[0]

    @property
    def code(self) -> str:
        return self[1]

    @property
    def project(self) -> str:
        return self[6]


def slot(axis: str, code: str, source: str = "", nature: str = "", category: str = "", period: str = "本年",
         project: str = "") -> Slot:
    return Slot((axis, code, source, nature, category, period, project))


INDEX = {name: i for i, name in enumerate(Slot.FIELDS)}


def matches(s: Slot, flt: Filter) -> bool:
    for key, values in flt:
        if key == "code":
            if s[0] in PREFIX_AXES:
                if not any(s[1].startswith(v) for v in values):
                    return False
            elif s[1] not in values:
                return False
        elif key in INDEX:
            if s[INDEX[key]] not in values:
                return False
    return True


@dataclass
class Leaf:
    amount: Decimal
    refs: tuple[str, ...]                 # the cells it was read from
    settled: bool = True                  # False: split or assigned by the import, to be checked


@dataclass
class Solution:
    leaves: dict[Slot, Leaf]
    conflicts: list[tuple[Observation, Decimal, tuple[str, ...]]]     # (observation, derived amount, cells it came from)
    tails: list[tuple[Observation, Decimal]]                          # rounding tails of 万元 sheets
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)   # project -> the 项 that fit equally
    unplaced: list[Observation] = field(default_factory=list)        # an amount no slot can take


class State:
    """Known slots and what is left of each observation; copied for the project search."""

    def __init__(self, obs: Sequence[Observation], members: list[list[int]], slots: Sequence[Slot]):
        self.obs, self.members, self.slots = obs, members, slots
        self.of_slot: list[list[int]] = [[] for _ in slots]
        for o, ids in enumerate(members):
            for s in ids:
                self.of_slot[s].append(o)
        self.project_ids = [i for i, s in enumerate(slots) if s.project and s.axis == "function"]
        self.of_project: dict[str, list[int]] = {}
        for i in self.project_ids:
            self.of_project.setdefault(slots[i].project, []).append(i)
        self.known: dict[int, Decimal] = {}
        self.setter: dict[int, int] = {}
        self.guessed: set[int] = set()
        self.residual = [o.amount for o in obs]
        self.live = [len(ids) for ids in members]
        self.nonzero = [0] * len(obs)            # members known and not zero (a rounded cell's slack grows with them)
        self.failed = False

    def copy(self) -> State:
        other = object.__new__(State)
        other.obs, other.members, other.slots, other.of_slot = self.obs, self.members, self.slots, self.of_slot
        other.project_ids, other.of_project = self.project_ids, self.of_project
        other.known, other.setter, other.guessed = dict(self.known), dict(self.setter), set(self.guessed)
        other.residual, other.live, other.failed = list(self.residual), list(self.live), self.failed
        other.nonzero = list(self.nonzero)
        return other

    def set(self, s: int, amount: Decimal, by: int, guessed: bool = False) -> list[int]:
        """Fix slot `s`; the observations that now have one slot left."""
        self.known[s] = amount
        self.setter[s] = by
        if guessed:
            self.guessed.add(s)
        ready = []
        residual, live, nonzero = self.residual, self.live, self.nonzero
        for o in self.of_slot[s]:
            left = residual[o] = residual[o] - amount
            open_ = live[o] = live[o] - 1
            if amount:
                nonzero[o] += 1
            if open_ == 1:
                ready.append(o)
            if (left < 0 or (open_ == 0 and left)) and (left < -self.tolerance(o) or (open_ == 0 and abs(left) > self.tolerance(o))):
                self.failed = True
        return ready

    def tolerance(self, o: int) -> Decimal:
        slack = self.obs[o].slack
        return slack * (1 + self.nonzero[o]) if slack else slack

    def priority(self, o: int) -> tuple[int, int, int]:
        """Most specific first: fewest slots, then the most coordinates named (表五's 基本支出 column
        before 表二's 一般公共预算 column), then the workbook's order."""
        return len(self.members[o]), -len(self.obs[o].flt), o

    def propagate(self, ready: Iterable[int] = (), budget: list[int] | None = None) -> None:
        """Set every slot that an observation leaves alone, most specific observation first."""
        heap = [self.priority(o) for o in ready]
        heapq.heapify(heap)
        while heap:
            *_, o = heapq.heappop(heap)
            if self.live[o] != 1:
                continue
            if budget is not None:
                budget[0] -= 1
                if budget[0] < 0:
                    return
            s = next(s for s in self.members[o] if s not in self.known)
            amount = max(self.residual[o], ZERO)
            guessed = any(t in self.guessed for t in self.members[o] if t != s and self.known.get(t))
            for nxt in self.set(s, amount, o, guessed):
                heapq.heappush(heap, self.priority(nxt))

    def start(self) -> None:
        ready: list[int] = []
        for o, ob in enumerate(self.obs):
            if ob.amount == 0:
                for s in self.members[o]:
                    if s not in self.known:
                        ready += self.set(s, ZERO, o)
        ready += [o for o in range(len(self.obs)) if self.live[o] == 1]
        self.propagate(ready)


def solve(observations: list[Observation], slots: list[Slot]) -> Solution:
    members = members_of(observations, slots)
    unplaced = [ob for ob, ids in zip(observations, members) if not ids and ob.amount]
    state = State(observations, members, slots)
    state.start()
    state, ambiguous = place_projects(state)
    split_rest(state)
    return solution_of(state, ambiguous, unplaced)


def members_of(observations: list[Observation], slots: list[Slot]) -> list[list[int]]:
    """The slots each observation's filter matches: those under its codes (an index by axis and code
    prefix) among those matching the rest of its filter (found once per distinct rest: a column's
    rows share it)."""
    index: dict[tuple[str, str], set[int]] = {}
    for i, s in enumerate(slots):
        codes = [s.code[:n] for n in (3, 5, 7) if n <= len(s.code)] if s.axis in PREFIX_AXES else [s.code]
        for key in {(s.axis, ""), *((s.axis, c) for c in codes)}:
            index.setdefault(key, set()).add(i)
    axes = tuple(sorted({s.axis for s in slots}))
    having: dict[tuple[int, str], set[int]] = {}          # (field, value) -> the slots with it
    for i, s in enumerate(slots):
        for j in range(2, len(Slot.FIELDS)):
            having.setdefault((j, s[j]), set()).add(i)
    by_rest: dict[tuple, set[int]] = {}
    found = []
    for ob in observations:
        flt = dict(ob.flt)
        rest = tuple((k, v) for k, v in ob.flt if k in INDEX and k not in ("axis", "code"))
        wanted_axes = flt.get("axis", axes)
        rest_key = (wanted_axes, rest)
        if rest_key not in by_rest:
            matching = set().union(*(index.get((axis, ""), set()) for axis in wanted_axes))
            for k, values in rest:
                matching &= set().union(*(having.get((INDEX[k], v), set()) for v in values))
            by_rest[rest_key] = matching
        candidates: set[int] = set()
        for axis in wanted_axes:
            for code in flt.get("code", ("",)):
                candidates |= index.get((axis, code), set())
        found.append(sorted(candidates & by_rest[rest_key]))
    return found


def project_candidates(state: State, only: str = "") -> dict[str, list[str]]:
    """Each project's 项 (or those of project `only`) that still have an unknown or non-zero slot of it."""
    found: dict[str, dict[str, None]] = {}
    for i in (state.of_project.get(only, ()) if only else state.project_ids):
        s = state.slots[i]
        if i not in state.known or state.known[i]:
            found.setdefault(s.project, {})[s.code] = None
    return {p: list(codes) for p, codes in found.items()}


def assign(state: State, project: str, code: str) -> State:
    """`state` with `project` in 项 `code`: its slots in the other 项 are zero. Failed when that cannot
    fit: part of it is already elsewhere, a sum goes negative, or a 项 can no longer be filled."""
    after = state.copy()
    ready: list[int] = []
    touched: set[int] = set()
    for i in after.of_project.get(project, ()):
        s = after.slots[i]
        if s.code != code:
            if i not in after.known:
                ready += after.set(i, ZERO, -1)
                touched.update(after.of_slot[i])
            elif after.known[i]:
                after.failed = True               # the tables already put part of it in another 项
                return after
    after.propagate(ready)
    if not after.failed and any(not fillable(after, o) for o in touched):
        after.failed = True
    return after


def fillable(state: State, o: int) -> bool:
    """Whether what observation `o` still lacks can come from its unknown slots, each at most what every
    other sum it is in still lacks (checked for small sums only: a 项's, not a whole table's)."""
    if not state.live[o] or state.residual[o] <= 0 or len(state.members[o]) > 64:
        return True
    room = ZERO
    for s in state.members[o]:
        if s not in state.known:
            room += min((max(state.residual[p], ZERO) for p in state.of_slot[s] if state.live[p]), default=ZERO)
            if room >= state.residual[o]:
                return True
    return room + state.tolerance(o) >= state.residual[o]


def reduced(state: State) -> State:
    """The part of `state` still open — its unknown slots and the observations that have some — as a
    State of its own (each observation's amount what is left of it): the project search copies it often."""
    live = [i for i in range(len(state.slots)) if i not in state.known]
    index = {i: k for k, i in enumerate(live)}
    kept = [o for o in range(len(state.obs)) if state.live[o] > 0]
    observations = [replace(state.obs[o], amount=state.residual[o]) for o in kept]
    sub = State(observations, [[index[i] for i in state.members[o] if i in index] for o in kept], [state.slots[i] for i in live])
    sub.nonzero = [state.nonzero[o] for o in kept]
    return sub


def place_projects(state: State) -> tuple[State, dict[str, tuple[str, ...]]]:
    """Give each project whose 项 the tables leave open the one that fits every table: search the
    assignments (largest project first) on what is still open; one that fits is taken, and marked to be
    checked when another fits too or the search ran out before it could rule one out."""
    open_ = {p: codes for p, codes in project_candidates(state).items() if len(codes) > 1}
    if not open_:
        return state, {}
    order = sorted(open_, key=lambda p: -project_amount(state, p))
    fits: list[dict[str, str]] = []
    budget = [SEARCH_LIMIT]
    choices: dict[str, set[str]] = {p: set() for p in order}

    def search(at: State, n: int, path: dict[str, str]) -> None:
        if at.failed or len(fits) >= 2 or budget[0] < 0:
            return
        if n == len(order):
            fits.append(path)
            for p, c in path.items():
                choices[p].add(c)
            return
        project = order[n]
        for code in project_candidates(at, project).get(project, []):
            budget[0] -= 1
            search(assign(at, project, code), n + 1, {**path, project: code})

    search(reduced(state), 0, {})
    if not fits:
        return state, {p: tuple(codes) for p, codes in open_.items()}
    out_of_time = budget[0] < 0
    ambiguous = {p: tuple(sorted(open_[p] if out_of_time else choices[p])) for p in order
                 if out_of_time or len(choices[p]) > 1}
    best = state
    for project, code in fits[0].items():
        best = assign(best, project, code)
    for i, s in enumerate(best.slots):
        if s.project in ambiguous and i in best.known and best.known[i]:
            best.guessed.add(i)
    return best, ambiguous


def project_amount(state: State, project: str) -> Decimal:
    """The largest amount the tables give for the project alone (its row of 表十二): search it first."""
    return max((ob.amount for ob, ids in zip(state.obs, state.members)
                if ids and all(state.slots[s].project == project for s in ids)), default=ZERO)


def split_rest(state: State) -> None:
    """Slots the tables give only in sums: each takes what every sum it is in still lacks, in order."""
    for i in range(len(state.slots)):
        if i in state.known:
            continue
        open_obs = [o for o in state.of_slot[i] if state.live[o] > 0]
        amount = min((max(state.residual[o], ZERO) for o in open_obs), default=ZERO)
        ready = state.set(i, amount, open_obs[0] if open_obs else -1, guessed=bool(amount))
        state.propagate(ready)


def solution_of(state: State, ambiguous: dict[str, tuple[str, ...]], unplaced: list[Observation]) -> Solution:
    leaves = {}
    for i, amount in state.known.items():
        if amount:
            by = state.setter[i]
            refs = (state.obs[by].ref,) if by >= 0 else ()
            leaves[state.slots[i]] = Leaf(amount, refs, i not in state.guessed)
    conflicts, tails = [], []
    for o, ob in enumerate(state.obs):
        if state.live[o] or not state.residual[o]:
            continue
        derived = ob.amount - state.residual[o]
        sources = tuple(dict.fromkeys(state.obs[state.setter[s]].ref for s in state.members[o]
                                      if state.known.get(s) and state.setter[s] >= 0 and state.setter[s] != o))
        if abs(state.residual[o]) <= state.tolerance(o):
            tails.append((ob, derived))
        else:
            conflicts.append((ob, derived, sources))
    return Solution(leaves, conflicts, tails, ambiguous, unplaced)
