"""Small numbers stay hidden (DESIGN section 3; issue 16): the counts of a report, and
the sums they make, so that no count from 1 to 4 is shown nor can be worked out.

A report's counts are cells; some cells are the sum of others (a CoS's decisions are the
sum of its outcomes, an area's requests received the sum of its CoS's). The rule:

1. every count from 1 to 4 is hidden ("fewer than 5"); a 0 is shown, since nobody can
   be recognised in it;
2. wherever a sum and all but one of its parts would be shown, the hidden one could be
   worked out by subtraction: another cell of that sum is hidden too ("not shown"), the
   smallest part not yet hidden (or, with no part left to hide, the sum itself);
3. likewise where the sum is shown and its hidden parts add up to fewer than 5: the
   reader could work out that they are 1 to 4 between them (four outcomes of 1 each
   beside a total 4 more than the approvals shown), so another part is hidden;
4. rules 2 and 3 are applied again until nothing changes, since a cell hidden for one
   sum may leave another sum with one hidden cell.

What is not searched for: a hidden count that could only be narrowed by combining sums
of several tables (an area's total in one report with its CoS in another). The parts of
such chains are hidden by the rules above in each table; each report's notes say so.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

SMALL = 5
SHOWN, FEWER, NOT_SHOWN = "", "small", "secondary"


def is_small(count: int) -> bool:
    return 0 < count < SMALL


def count_text(count: int, state: str = SHOWN) -> str:
    if state == FEWER or (state == SHOWN and is_small(count)):
        return "fewer than 5"
    if state == NOT_SHOWN:
        return "not shown"
    return f"{count:,}"


def hide_small_numbers(
    cells: Mapping[Hashable, int], sums: Iterable[tuple[Hashable, list[Hashable]]]
) -> dict[Hashable, str]:
    """Each cell's state (SHOWN, FEWER or NOT_SHOWN) under the rule above. ``sums`` are
    (total, parts) with every key in ``cells``; a part of no sum is only subject to rule 1."""
    sums = [(total, list(parts)) for total, parts in sums]
    state = {key: FEWER if is_small(count) else SHOWN for key, count in cells.items()}
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            group = [total, *parts]
            hidden = [key for key in group if state[key]]
            hidden_parts = sum(cells[key] for key in parts if state[key])
            lone = len(hidden) == 1
            narrow = not state[total] and 0 < hidden_parts < SMALL
            if not (lone or narrow):
                continue
            # A 0 hidden or not tells nothing: only non-zero cells can protect the other.
            candidates = [key for key in parts if not state[key] and cells[key]]
            if candidates:
                chosen = min(candidates, key=lambda key: cells[key])
            elif not state[total] and cells[total]:
                chosen = total
            else:
                continue  # the hidden cell is the only one that is not 0: nothing to add
            state[chosen] = NOT_SHOWN
            changed = True
    return state
