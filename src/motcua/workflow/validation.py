"""What makes a process usable, checked on the data itself (no rule strings to parse).

``problems`` answers every fault at once so an administrator fixes them in one pass:
exactly one start step; every step reachable from it; every step that is not an end has a
way out and every path reaches an end; every action names at least one known role; final
actions (refuse, stop, return…) lead to an end step; the status an action sets is the one
the dossier life-cycle gives that action.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from motcua.accounts.models import Role
from motcua.workflow.vocabulary import ACTION_STATUS, FINAL_ACTIONS, ActionCode, NationalStatus


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    step: str = ""  # the step's code, when the fault is a step's
    action: int | None = None  # the action's id, when the fault is an action's


def problems(steps: list, actions: list) -> list[Problem]:
    """``steps`` and ``actions`` are model instances (saved or not) of one process."""
    found: list[Problem] = []
    by_id = {s.pk: s for s in steps}
    starts = [s for s in steps if s.is_start]
    if len(starts) != 1:
        found.append(
            Problem(
                "start",
                f"Quy trình phải có đúng một bước bắt đầu (đang có {len(starts)}).",
            )
        )
    for s in steps:
        if s.is_start and s.is_end:
            found.append(Problem("start_end", f"Bước «{s.name}» vừa bắt đầu vừa kết thúc.", s.code))
        if s.hours < 0:
            found.append(Problem("hours", f"Thời gian của bước «{s.name}» không được âm.", s.code))
    known_roles = set(Role.values)
    edges: dict = defaultdict(set)
    # The flow proper, without the actions open at every step (stop, withdrawal): those end
    # any dossier, so counting them would hide a step the normal flow never leaves.
    flow: dict = defaultdict(set)
    open_steps = [s.pk for s in steps if not s.is_end]
    for a in actions:
        label = a.name or ActionCode(a.code).label if a.code in ActionCode.values else a.code
        if a.code not in ActionCode.values:
            found.append(Problem("code", f"Thao tác «{a.code}» không tồn tại.", action=a.pk))
            continue
        roles = list(a.roles or [])
        if not roles:
            found.append(Problem("roles", f"Thao tác «{label}» chưa có vai trò nào.", action=a.pk))
        elif set(roles) - known_roles:
            found.append(
                Problem("roles", f"Thao tác «{label}» có vai trò không hợp lệ.", action=a.pk)
            )
        for end in (a.from_step_id, a.to_step_id):
            if end is not None and end not in by_id:
                found.append(
                    Problem(
                        "foreign",
                        f"Thao tác «{label}» trỏ tới bước của quy trình khác.",
                        action=a.pk,
                    )
                )
        if a.from_step_id in by_id and by_id[a.from_step_id].is_end:
            found.append(
                Problem("from_end", f"Thao tác «{label}» đi ra từ một bước kết thúc.", action=a.pk)
            )
        final = a.code in FINAL_ACTIONS
        if final and (a.to_step_id not in by_id or not by_id[a.to_step_id].is_end):
            found.append(
                Problem("final", f"Thao tác «{label}» phải dẫn tới một bước kết thúc.", action=a.pk)
            )
        if not final and a.to_step_id in by_id and by_id[a.to_step_id].is_end:
            found.append(
                Problem("not_final", f"Thao tác «{label}» không được kết thúc hồ sơ.", action=a.pk)
            )
        expected = ACTION_STATUS.get(a.code)
        if a.sets_status is not None and a.sets_status != expected:
            wanted = NationalStatus(expected).label if expected else "giữ nguyên trạng thái"
            found.append(
                Problem(
                    "status",
                    f"Thao tác «{label}» phải đưa hồ sơ về «{wanted}».",
                    action=a.pk,
                )
            )
        sources = open_steps if a.from_step_id is None else [a.from_step_id]
        target = a.to_step_id
        for src in sources:
            edges[src].add(src if target is None else target)
            if a.from_step_id is not None:
                flow[src].add(src if target is None else target)
    if len(starts) == 1:
        seen = _reach(starts[0].pk, edges)
        for s in steps:
            if s.pk not in seen:
                found.append(
                    Problem("unreachable", f"Không có đường nào tới bước «{s.name}».", s.code)
                )
    ends = {s.pk for s in steps if s.is_end}
    if not ends:
        found.append(Problem("no_end", "Quy trình chưa có bước kết thúc."))
    else:
        reverse: dict = defaultdict(set)
        for src, targets in flow.items():
            for t in targets:
                reverse[t].add(src)
        finishing = set()
        for e in ends:
            finishing |= _reach(e, reverse)
        for s in steps:
            if not s.is_end and s.pk not in finishing:
                found.append(
                    Problem("dead_end", f"Từ bước «{s.name}» không đi được tới kết thúc.", s.code)
                )
    return found


def _reach(start, edges) -> set:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def process_problems(process) -> list[Problem]:
    return problems(list(process.steps.all()), list(process.actions.all()))
