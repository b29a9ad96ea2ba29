"""Splitting an assembly's registrants into groups and subgroups, each with one leader.

The seed's method: 5 groups of 100, each split into subgroups of 20 that choose a leader
(preferably someone who knows the PIT).  Sizes come out as even as the count allows; asked to
balance by territory or organisation type, each kind of registrant is dealt across all the
subgroups in turn, so every subgroup gets its share of each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from addin.domain.lean import dataclass
from addin.domain.programme import Assembly


@dataclass(frozen=True)
class Registrant:
    row: int  # sheet row, to write the placement back
    balance: str = ""  # the value balanced across subgroups (territory, organisation type)
    knows_pit: bool = False


@dataclass(frozen=True)
class Placement:
    row: int
    group: int  # 1-based
    subgroup: str  # «2.3»: group 2, its subgroup 3
    mesa: str
    leader: bool


def short_mesa(name: str) -> str:
    """«Mesa 1. Asociatividad y el Trabajo en Red» → «Mesa 1»: the registration list shows
    the short name (the whole one heads the mesa's plan)."""
    head, dot, _ = name.partition(". ")
    return head if dot and len(head) <= 12 else name


def subgroup_slots(count: int, assembly: Assembly) -> list[tuple[int, int]]:
    """The subgroups to fill, as (group, subgroup) from 1, ordered so that dealing people in
    turn fills every group alike: (1,1), (2,1), … (5,1), (1,2), …"""
    if count <= 0:
        return []
    wanted = math.ceil(count / assembly.subgroup_size)
    per_group = min(math.ceil(wanted / assembly.groups), assembly.subgroups_per_group)
    slots = [(g, s) for s in range(1, per_group + 1) for g in range(1, assembly.groups + 1)]
    return slots[:count]


def assign(people: Sequence[Registrant], assembly: Assembly,
           balanced: bool = False) -> list[Placement]:
    """Each registrant's group, subgroup, mesa and whether they lead their subgroup.

    Raises ValueError when there are more people than the groups hold.
    """
    capacity = assembly.groups * assembly.group_size
    if len(people) > capacity:
        raise ValueError(f"hay {len(people)} personas inscritas y {assembly.groups} grupos de "
                         f"{assembly.group_size} reciben {capacity}")
    slots = subgroup_slots(len(people), assembly)
    if not slots:
        return []
    members: dict[tuple[int, int], list[Registrant]] = {slot: [] for slot in slots}
    if balanced:  # each kind in turn across all subgroups
        ordered = sorted(people, key=lambda p: p.balance.strip().lower())
        for i, person in enumerate(ordered):
            members[slots[i % len(slots)]].append(person)
    else:  # in registration order, in even consecutive blocks
        for i, person in enumerate(people):
            members[slots[i * len(slots) // len(people)]].append(person)
    placements: list[Placement] = []
    for (group, sub), who in members.items():
        leader = next((p for p in who if p.knows_pit), who[0] if who else None)
        mesa = short_mesa(assembly.mesas[(group - 1) % len(assembly.mesas)])
        placements += [Placement(p.row, group, f"{group}.{sub}", mesa, p is leader)
                       for p in who]
    return sorted(placements, key=lambda p: p.row)
