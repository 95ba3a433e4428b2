"""Forms for decisions: staff writing one, and a member's ballot.

A ballot's fields depend on the decision (radios, checkboxes, or a numbered select per option
for ranked choice), so there is no WTForms class for it: CSRFProtect checks its token, and
`read_ballot` reads the choices; what was chosen comes back on the page when it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from consultations.languages import LOCALES
from consultations.models import Decision, DecisionKind
from consultations.models.decision import MAX_OPTIONS
from consultations.services.decisions import (
    MAX_EXPLANATION_CHARS,
    MAX_QUESTION_CHARS,
    DecisionDetails,
)
from portal.accounts.forms import REQUIRED
from portal.web.fields import (
    WholeNumberField,
    at_most,
    date_field,
    in_almaty,
    in_each_language,
    no_hidden_characters,
    refusal_message,
    strip,
    time_field,
    to_utc,
    translation_data,
    typed_translations,
)

KINDS = [
    SelectChoice("proposal", _l("Proposal: agree, disagree or abstain")),
    SelectChoice("single", _l("Single choice: one option")),
    SelectChoice("multiple", _l("Multiple choice: up to a number of options")),
    SelectChoice("ranked", _l("Ranked choice: options in order of preference")),
]

DECISION_MESSAGES = {
    "too_few_options": _l("Write at least two options, one per line."),
    "too_many_options": _l("A decision can have at most 12 options."),
    "option_too_long": _l("Each option can be at most 200 characters long."),
    "option_hidden_characters": _l("Remove the invisible or control characters from the options."),
    "duplicate_option": _l("Two options are the same. Make each option different."),
    "option_translation_count": _l(
        "Write the options in each other language in the same number and order as in the main "
        "language, one per line, or leave them all empty."
    ),
    "max_choices": _l(
        "For multiple choice, say how many options a member may choose: from 1 to the number "
        "of options."
    ),
    "closes_before_opens": _l("The closing date must come after the opening date."),
    "closes_in_the_past": _l("The closing date must be in the future."),
    "ballots_cast": _l(
        "Members have started voting, so this decision can no longer be changed. You can still "
        "close it or give it more time."
    ),
    "closed": _l("This decision is closed. Its result is final."),
    "not_open": _l("Only an open decision can be closed early."),
}


def decision_message(code: str) -> str:
    return refusal_message(DECISION_MESSAGES, code)


def _lines(text: str | None) -> list[str]:
    return (text or "").replace("\r\n", "\n").split("\n")


class DecisionForm(FlaskForm):
    """Question, explanation and options in the consultation's main language; the same with
    `_<locale>` (added below) in the others, each optional."""

    TEXTS = ("question", "explanation", "options")

    question = StringField(
        _l("Question"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(MAX_QUESTION_CHARS), no_hidden_characters],
    )
    explanation = TextAreaField(
        _l("Explanation (optional)"),
        validators=[at_most(MAX_EXPLANATION_CHARS), no_hidden_characters],
    )
    kind = RadioField(_l("Kind of decision"), choices=KINDS, default="proposal")
    options = TextAreaField(_l("Options, one per line"), validators=[at_most(MAX_OPTIONS * 202)])
    max_choices = WholeNumberField(
        _l("Multiple choice: how many options a member may choose at most"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_OPTIONS, message=_l("Enter a number from 1 to 12.")),
        ],
    )
    opens_on = date_field(_l("Voting opens on"))
    opens_time = time_field(_l("Opening time (Almaty)"))
    closes_on = date_field(_l("Voting closes on"))
    closes_time = time_field(_l("Closing time (Almaty)"))
    quorum = WholeNumberField(
        _l("Quorum (optional): the fewest ballots for the result to stand"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message=_l("Enter a number from 1 to 100,000.")),
        ],
    )
    live_results = BooleanField(
        _l("Show the results to members as soon as they have voted, before voting closes")
    )
    min_ballots = WholeNumberField(
        _l("Show counts only from this many ballots"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=1, max=100_000, message=_l("Enter a number from 1 to 100,000.")),
        ],
    )

    def details(self, main_locale: str) -> DecisionDetails:
        typed = typed_translations(self, self.TEXTS, main_locale)
        return DecisionDetails(
            question=self.question.data or "",
            explanation=(self.explanation.data or "").replace("\r\n", "\n"),
            kind=DecisionKind(self.kind.data),
            options=_lines(self.options.data),
            max_choices=self.max_choices.data,
            opens_at=to_utc(self.opens_on.data, self.opens_time.data),
            closes_at=to_utc(self.closes_on.data, self.closes_time.data),
            quorum=self.quorum.data,
            live_results=bool(self.live_results.data),
            min_ballots=self.min_ballots.data or 1,
            translations={
                locale: {
                    "question": texts["question"],
                    "explanation": texts["explanation"].replace("\r\n", "\n"),
                }
                for locale, texts in typed.items()
            },
            option_translations={
                locale: _lines(texts["options"]) for locale, texts in typed.items()
            },
        )


in_each_language(
    DecisionForm,
    "question",
    StringField,
    lambda language: _l("Question (%(language)s)", language=language),
    MAX_QUESTION_CHARS,
)
in_each_language(
    DecisionForm,
    "explanation",
    TextAreaField,
    lambda language: _l("Explanation (%(language)s)", language=language),
    MAX_EXPLANATION_CHARS,
)
in_each_language(
    DecisionForm,
    "options",
    TextAreaField,
    lambda language: _l("Options (%(language)s), one per line", language=language),
    MAX_OPTIONS * 202,
)


def decision_form(decision: Decision | None, now: datetime) -> DecisionForm:
    """Empty for a new decision (opening now, closing in a week), or filled with a saved one."""
    if decision is None:
        opens = in_almaty(now)
        closes = in_almaty(now + timedelta(days=7))
        data = {
            "kind": DecisionKind.PROPOSAL.value,
            "min_ballots": current_app.config["KENES"].min_ballots,
        }
    else:
        opens, closes = in_almaty(decision.opens_at), in_almaty(decision.closes_at)
        data = {
            "question": decision.question,
            "explanation": decision.explanation,
            "kind": decision.kind,
            "options": "\n".join(o.label for o in decision.options if not o.code),
            **translation_data(("question", "explanation"), decision.translations),
            **{
                f"options_{locale}": "\n".join(
                    row.label
                    for o in decision.options
                    if not o.code
                    for row in o.translations
                    if row.locale == locale
                )
                for locale in LOCALES
            },
            "max_choices": decision.max_choices,
            "quorum": decision.quorum,
            "live_results": decision.live_results,
            "min_ballots": decision.min_ballots,
        }
    data |= {
        "opens_on": opens.date(),
        "opens_time": opens.time().replace(second=0, microsecond=0),
        "closes_on": closes.date(),
        "closes_time": closes.time().replace(second=0, microsecond=0),
    }
    return DecisionForm(formdata=None, data=data)


@dataclass
class Typed:
    """What a member chose on the ballot paper, to show it again if it is refused."""

    selected: set[int] = field(default_factory=set)
    ranks: dict[int, str] = field(default_factory=dict)
    choices: list[int] = field(default_factory=list)  # best first for ranked choice
    problem: str | None = None  # a BallotRefused code, when the paper cannot be read


def _number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else None


def read_ballot(decision: Decision, formdata: MultiDict) -> Typed:
    """The choices on a submitted ballot paper. What cannot be read ("unknown_option", or
    "duplicate" ranks) is a `problem`; `ballots.check_choices` judges the rest."""
    typed = Typed()
    if decision.kind == DecisionKind.RANKED:
        ranked: list[tuple[int, int]] = []
        for option in decision.options:
            value = (formdata.get(f"rank-{option.position}") or "").strip()[:8]
            typed.ranks[option.position] = value
            if not value:
                continue
            rank = _number(value)
            if rank is None or not 1 <= rank <= len(decision.options):
                typed.problem = "unknown_option"
            else:
                ranked.append((rank, option.position))
        if len({rank for rank, _ in ranked}) != len(ranked):
            typed.problem = "duplicate"
        typed.choices = [position for _, position in sorted(ranked)]
        return typed
    for value in formdata.getlist("choice")[: MAX_OPTIONS + 1]:
        position = _number(value)
        if position is None:
            typed.problem = "unknown_option"
        else:
            typed.choices.append(position)
    typed.selected = set(typed.choices)
    return typed


def ballot_message(code: str, decision: Decision) -> str:
    ranked = decision.kind == DecisionKind.RANKED
    messages = {
        "empty": _l(
            "Give the number 1 to the option you prefer most, then number others if you wish."
        )
        if ranked
        else _l("Choose an option before you vote."),
        "unknown_option": _l("That choice is not on this ballot. Please choose again."),
        "duplicate": _l(
            "Two options have the same number. Give each option its own number, or leave it blank."
        )
        if ranked
        else _l("Each option can be chosen only once."),
        "one_only": _l("Choose one option only."),
        "changed": _l(
            "Staff changed the options of this decision while you were voting, so your vote was "
            "not recorded. Please read the options again and vote."
        ),
        "closed": _l(
            "Voting on this decision has closed, so your vote was not recorded. The results "
            "are below."
        ),
        "not_open": _l("Voting on this decision has not opened yet."),
        "not_a_voter": _l("Only members vote on decisions: staff facilitate them."),
    }
    if code == "too_many":
        count = decision.max_choices or 1
        return ngettext(
            "You can choose at most %(num)d option.",
            "You can choose at most %(num)d options.",
            count,
        )
    return str(messages.get(code, messages["unknown_option"]))
