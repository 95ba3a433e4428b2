"""Counting ballots (issue 5 groundwork): plain counts, and instant-runoff for ranked choice.

Pure functions over the choices alone — a ballot here is what the `ballot` table will hold, with
no member and no time — so the count can be checked by hand and by tests.

Instant-runoff, as shown on the results page:
1. Each ballot counts for its highest-ranked option still in the count.
2. An option with more than half of the ballots still counting wins.
3. Otherwise the option with the fewest votes is eliminated, and the next round begins.
4. A ballot whose ranked options have all been eliminated is *exhausted*: it no longer counts.

Tie-break for elimination (stated on the results page): among the options tied for fewest
votes, eliminate the one with the fewest first preferences in round 1; if still tied, the one
listed last on the ballot paper. If the last two options tie, there is no single winner: the
result says so rather than drawing lots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


def count_choices(ballots: Sequence[Sequence[str]], options: Sequence[str]) -> dict[str, int]:
    """How many ballots chose each option (proposal, single and multiple choice)."""
    counts = dict.fromkeys(options, 0)
    for choices in ballots:
        for option in set(choices):
            if option in counts:
                counts[option] += 1
    return counts


@dataclass(frozen=True)
class Round:
    number: int
    votes: dict[str, int]  # continuing options → votes this round
    exhausted: int  # ballots that no longer count
    eliminated: str | None  # the option removed after this round, if any


@dataclass(frozen=True)
class RunoffResult:
    rounds: list[Round] = field(default_factory=list)
    winner: str | None = None
    tied: tuple[str, ...] = ()  # the last options standing, when they tie
    first_preferences: dict[str, int] = field(default_factory=dict)


def instant_runoff(ballots: Sequence[Sequence[str]], options: Sequence[str]) -> RunoffResult:
    """Count ranked ballots round by round. Unknown and repeated options on a ballot are
    ignored (a ranking names each option once)."""
    order = {option: position for position, option in enumerate(options)}
    rankings = [list(dict.fromkeys(o for o in ballot if o in order)) for ballot in ballots]
    continuing = list(options)
    first = Counter(ranking[0] for ranking in rankings if ranking)
    first_preferences = {option: first.get(option, 0) for option in options}
    rounds: list[Round] = []
    while continuing:
        votes = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in rankings:
            top = next((option for option in ranking if option in votes), None)
            if top is None:
                exhausted += 1
            else:
                votes[top] += 1
        counting = sum(votes.values())
        leader = max(continuing, key=lambda option: (votes[option], -order[option]))
        if counting and votes[leader] * 2 > counting:
            rounds.append(Round(len(rounds) + 1, votes, exhausted, None))
            return RunoffResult(rounds, leader, (), first_preferences)
        if len(continuing) == 1:
            rounds.append(Round(len(rounds) + 1, votes, exhausted, None))
            winner = continuing[0] if counting else None
            return RunoffResult(rounds, winner, (), first_preferences)
        fewest = min(votes.values())
        if len(continuing) == 2 and votes[continuing[0]] == votes[continuing[1]]:
            rounds.append(Round(len(rounds) + 1, votes, exhausted, None))
            return RunoffResult(rounds, None, tuple(continuing), first_preferences)
        candidates = [option for option in continuing if votes[option] == fewest]
        out = min(candidates, key=lambda option: (first_preferences[option], -order[option]))
        rounds.append(Round(len(rounds) + 1, votes, exhausted, out))
        continuing.remove(out)
    return RunoffResult(rounds, None, (), first_preferences)
