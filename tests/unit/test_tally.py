"""Counting ballots against hand-worked examples (issue 5, acceptance 6, groundwork)."""

from consultations.tally import count_choices, instant_runoff


def votes(result):  # type: ignore[no-untyped-def]
    return [(r.votes, r.exhausted, r.eliminated) for r in result.rounds]


def test_plain_counts_ignore_unknown_and_repeated_choices():
    ballots = [["agree"], ["agree"], ["abstain"], ["disagree", "disagree"], ["nonsense"]]
    assert count_choices(ballots, ["agree", "disagree", "abstain"]) == {
        "agree": 2,
        "disagree": 1,
        "abstain": 1,
    }


def test_a_majority_of_first_preferences_wins_at_once():
    result = instant_runoff([["A"], ["A"], ["A"], ["B"], ["C"]], ["A", "B", "C"])
    assert result.winner == "A"
    assert votes(result) == [({"A": 3, "B": 1, "C": 1}, 0, None)]


def test_the_last_option_is_eliminated_and_its_ballots_move_on():
    ballots = [["A", "B"]] * 4 + [["B", "C"]] * 3 + [["C", "B"]] * 2
    result = instant_runoff(ballots, ["A", "B", "C"])
    # Round 1: no one has more than 4.5 of 9; C is last. Round 2: C's two go to B: 4 to 5.
    assert votes(result) == [({"A": 4, "B": 3, "C": 2}, 0, "C"), ({"A": 4, "B": 5}, 0, None)]
    assert result.winner == "B"


def test_exhausted_ballots_stop_counting_and_ties_go_to_the_last_listed():
    ballots = [["A"]] * 3 + [["B"]] * 2 + [["C"]] * 2
    result = instant_runoff(ballots, ["A", "B", "C"])
    # B and C tie for last with equal first preferences: C is listed last and goes.
    # Round 2: C's ballots name nothing else: exhausted; A has 3 of the 5 still counting.
    assert votes(result) == [({"A": 3, "B": 2, "C": 2}, 0, "C"), ({"A": 3, "B": 2}, 2, None)]
    assert result.winner == "A"


def test_a_tie_for_last_is_broken_by_first_preferences():
    ballots = [["A"]] * 4 + [["B"]] * 3 + [["C", "B"]] * 2 + [["D", "C"]]
    result = instant_runoff(ballots, ["A", "B", "C", "D"])
    # Round 2: B and C both have 3; C had fewer first preferences (2 against 3) and goes.
    assert votes(result) == [
        ({"A": 4, "B": 3, "C": 2, "D": 1}, 0, "D"),
        ({"A": 4, "B": 3, "C": 3}, 0, "C"),
        ({"A": 4, "B": 5}, 1, None),
    ]
    assert result.winner == "B"
    assert result.first_preferences == {"A": 4, "B": 3, "C": 2, "D": 1}


def test_a_tie_between_the_last_two_has_no_winner():
    result = instant_runoff([["A"], ["B"]], ["A", "B"])
    assert result.winner is None
    assert result.tied == ("A", "B")


def test_no_ballots_no_winner():
    result = instant_runoff([], ["A", "B", "C"])
    assert result.winner is None


def test_unknown_and_repeated_rankings_are_ignored():
    result = instant_runoff([["A", "A", "X"], ["X"], ["B", "A"]], ["A", "B"])
    assert votes(result)[0] == ({"A": 1, "B": 1}, 1, None)
    assert result.tied == ("A", "B")
