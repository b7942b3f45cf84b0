"""Reading one quiz file, ``quizzes/<id>.yml``: settings and the question pool."""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lms.domain.courses.content import ReferenceChecker, Scan, render_and_scan
from lms.domain.courses.limits import (
    MAX_CHOICES,
    MAX_QUESTIONS,
    MAX_QUIZ_TEXT_CHARS,
    markdown_limits,
)
from lms.domain.courses.problems import N_
from lms.domain.courses.questions import (
    FEEDBACK_POLICIES,
    QUESTION_TYPES,
    Localised,
    Matching,
    MatchingPair,
    MultipleChoice,
    NumericAnswer,
    Option,
    Ordering,
    OrderingItem,
    Question,
    QuestionType,
    Quiz,
    QuizSettings,
    SingleChoice,
    TextAnswer,
    TrueFalse,
)
from lms.domain.courses.values import Reader
from lms.domain.courses.yaml_reader import SUPPORTED_LANGUAGES, Entry, Fields, label, node_line

_COMMON_REQUIRED = ("id", "type", "text")
_COMMON_OPTIONAL = ("points", "feedback")
_TYPE_KEYS: dict[QuestionType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single": (("options",), ()),
    "multiple": (("options",), ()),
    "true_false": (("answer",), ()),
    "text": (("accept",), ()),
    "numeric": (("answer",), ("tolerance",)),
    "ordering": (("items",), ()),
    "matching": (("pairs",), ()),
}
_SETTINGS_OPTIONAL = (
    "cooldown_minutes",
    "time_limit_minutes",
    "draw",
    "shuffle",
    "feedback",
)

# Choices of a question, by the word the quiz file uses for them.
_TOO_MANY = {
    "option": N_("%(count)s options; a question may have at most %(limit)s"),
    "item": N_("%(count)s items; a question may have at most %(limit)s"),
    "pair": N_("%(count)s pairs; a question may have at most %(limit)s"),
}
_DUPLICATE = {
    "option": N_("duplicate option id '%(id)s' (first at line %(first)s)"),
    "item": N_("duplicate item id '%(id)s' (first at line %(first)s)"),
    "pair": N_("duplicate pair id '%(id)s' (first at line %(first)s)"),
}


def _at_line(line: int) -> Callable[[str], int]:
    return lambda _needle: line


class QuizReader:
    """Reads a quiz file, collecting its texts so their links and images can be checked."""

    def __init__(
        self,
        reader: Reader,
        rel_path: str,
        files: set[str],
        scans: dict[str, Scan] | None = None,
    ) -> None:
        self.reader = reader
        self.rel_path = rel_path
        self.files = files
        # Texts already rendered without a problem (share one dict between the quizzes of a
        # course): "Yes", "No", "Тийм"... are rendered and scanned once, not in every question.
        self.scans: dict[str, Scan] = {} if scans is None else scans
        self.texts: list[tuple[str, str, int]] = []  # (language, markdown, line)
        self.draw_line = 1

    def read(self, root: Node | None, quiz_id: str) -> Quiz | None:
        """Read the whole file; None if it is too broken to use."""
        r = self.reader
        if root is None:  # invalid YAML, already reported
            return None
        top = r.mapping(root, "", 1, ("title", "settings", "questions"))
        if top is None:
            return None
        title = self.localised(top.get("title"))
        settings = self.settings(top.get("settings"))
        questions: list[Question] = []
        first_line: dict[str, int] = {}
        entries = r.sequence(top.get("questions"), min_items=1)
        if len(entries) > MAX_QUESTIONS:
            r.error(
                entries[MAX_QUESTIONS].line,
                "questions",
                N_("%(count)s questions; a quiz may have at most %(limit)s: split it"),
                count=len(entries),
                limit=MAX_QUESTIONS,
            )
            return None
        for item in entries:
            question = self.question(item)
            if question is None:
                continue
            if question.id in first_line:
                r.error(
                    item.line,
                    item.where,
                    N_("duplicate question id '%(id)s' (first at line %(first)s)"),
                    id=question.id,
                    first=first_line[question.id],
                )
            first_line.setdefault(question.id, item.line + r.log.line_offset)
            questions.append(question)
        if settings.draw is not None and questions and settings.draw > len(questions):
            r.error(
                self.draw_line,
                "settings.draw",
                N_("draws %(draw)s questions but the quiz has only %(count)s"),
                draw=settings.draw,
                count=len(questions),
            )
        self.check_texts()
        return Quiz(quiz_id, title, settings, tuple(questions), self.rel_path)

    def localised(self, entry: Entry | None) -> Localised:
        """Localised inline Markdown; remembered for the reference check."""
        texts = self.reader.localised(entry)
        if entry is not None:
            self.texts.extend((lang, text, entry.line) for lang, text in texts.items())
        return texts

    def optional_localised(self, entry: Entry | None) -> Localised | None:
        """Optional localised inline Markdown."""
        if entry is None or (
            isinstance(entry.node, ScalarNode) and entry.node.tag.endswith("null")
        ):
            return None
        return self.localised(entry)

    def settings(self, entry: Entry | None) -> QuizSettings:
        """The ``settings`` mapping."""
        r = self.reader
        fields = r.fields(entry, ("pass_mark", "attempts"), _SETTINGS_OPTIONAL)
        if fields is None:
            return QuizSettings(pass_mark=0, attempts=None)
        draw = fields.get("draw")
        self.draw_line = draw.line if draw is not None else 1
        return QuizSettings(
            pass_mark=r.number(fields.get("pass_mark"), minimum=0, maximum=100),
            attempts=r.optional_integer(fields.get("attempts"), minimum=1),
            cooldown_minutes=r.integer(fields.get("cooldown_minutes"), minimum=0),
            time_limit_minutes=r.optional_integer(fields.get("time_limit_minutes"), minimum=1),
            draw=r.optional_integer(draw, minimum=1),
            shuffle=r.boolean(fields.get("shuffle")),
            feedback=r.choice(fields.get("feedback"), FEEDBACK_POLICIES, "after_submit"),
        )

    def question(self, item: Entry) -> Question | None:
        """One question of the pool, read according to its ``type``."""
        r = self.reader
        question_type = self._type(item)
        if question_type is None:
            extra = tuple(key for keys in _TYPE_KEYS.values() for key in (*keys[0], *keys[1]))
            r.mapping(
                item.node,
                item.where,
                item.line,
                ("id", "text"),
                ("type", *_COMMON_OPTIONAL, *extra),
            )
            return None
        required, optional = _TYPE_KEYS[question_type]
        fields = r.mapping(
            item.node,
            item.where,
            item.line,
            (*_COMMON_REQUIRED, *required),
            (*_COMMON_OPTIONAL, *optional),
        )
        if fields is None:
            return None
        qid = r.identifier(fields.get("id"))
        text = self.localised(fields.get("text"))
        points = r.number(fields.get("points"), 1.0, above=0)
        feedback = self.optional_localised(fields.get("feedback"))
        if question_type == "single":
            options = self.options(fields.get("options"), question_type)
            return SingleChoice(
                id=qid, text=text, points=points, feedback=feedback, options=options
            )
        if question_type == "multiple":
            options = self.options(fields.get("options"), question_type)
            return MultipleChoice(
                id=qid, text=text, points=points, feedback=feedback, options=options
            )
        if question_type == "true_false":
            answer = r.boolean(fields.get("answer"))
            return TrueFalse(id=qid, text=text, points=points, feedback=feedback, answer=answer)
        if question_type == "text":
            accept = self.accept(fields.get("accept"))
            return TextAnswer(id=qid, text=text, points=points, feedback=feedback, accept=accept)
        if question_type == "numeric":
            return NumericAnswer(
                id=qid,
                text=text,
                points=points,
                feedback=feedback,
                answer=r.number(fields.get("answer")),
                tolerance=r.number(fields.get("tolerance"), minimum=0),
            )
        if question_type == "ordering":
            items = self.ordering_items(fields)
            return Ordering(id=qid, text=text, points=points, feedback=feedback, items=items)
        pairs = self.pairs(fields)
        return Matching(id=qid, text=text, points=points, feedback=feedback, pairs=pairs)

    def _type(self, item: Entry) -> QuestionType | None:
        if not isinstance(item.node, MappingNode):
            return None
        for key, value in item.node.value:
            if isinstance(key, ScalarNode) and key.value == "type":
                entry = Entry(label(item.where, "type"), node_line(key), value)
                chosen = self.reader.choice(entry, QUESTION_TYPES, "single")
                valid = isinstance(value, ScalarNode) and value.value == chosen
                return chosen if valid else None
        return None

    def options(self, entry: Entry | None, question_type: QuestionType) -> tuple[Option, ...]:
        """Options of a choice question, with the number of correct ones checked."""
        r = self.reader
        options: list[Option] = []
        for item in self._unique_items(entry, "option"):
            fields = r.mapping(
                item.node, item.where, item.line, ("id", "text"), ("correct", "feedback")
            )
            if fields is not None:
                options.append(
                    Option(
                        r.identifier(fields.get("id")),
                        self.localised(fields.get("text")),
                        r.boolean(fields.get("correct")),
                        self.optional_localised(fields.get("feedback")),
                    )
                )
        correct = sum(option.correct for option in options)
        if entry is not None and len(options) >= 2:
            if question_type == "single" and correct != 1:
                r.error(
                    entry.line,
                    entry.where,
                    N_("a 'single' question needs exactly one correct option, found %(count)s"),
                    count=correct,
                )
            elif question_type == "multiple" and correct == 0:
                r.error(entry.line, entry.where, N_("a 'multiple' question needs a correct option"))
        return tuple(options)

    def ordering_items(self, fields: Fields) -> tuple[OrderingItem, ...]:
        """Items of an ordering question, in the correct order."""
        result = []
        for item in self._unique_items(fields.get("items"), "item"):
            sub = self.reader.mapping(item.node, item.where, item.line, ("id", "text"))
            if sub is not None:
                result.append(
                    OrderingItem(
                        self.reader.identifier(sub.get("id")), self.localised(sub.get("text"))
                    )
                )
        return tuple(result)

    def pairs(self, fields: Fields) -> tuple[MatchingPair, ...]:
        """Pairs of a matching question."""
        result = []
        for item in self._unique_items(fields.get("pairs"), "pair"):
            sub = self.reader.mapping(item.node, item.where, item.line, ("id", "left", "right"))
            if sub is not None:
                result.append(
                    MatchingPair(
                        self.reader.identifier(sub.get("id")),
                        self.localised(sub.get("left")),
                        self.localised(sub.get("right")),
                    )
                )
        return tuple(result)

    def _unique_items(self, entry: Entry | None, what: str) -> list[Entry]:
        """List items (at least two), reporting duplicate ``id`` values."""
        items = self.reader.sequence(entry, min_items=2)
        if len(items) > MAX_CHOICES:
            self.reader.error(
                items[MAX_CHOICES].line,
                items[MAX_CHOICES].where,
                _TOO_MANY[what],
                count=len(items),
                limit=MAX_CHOICES,
            )
            return items[:MAX_CHOICES]
        seen: dict[str, int] = {}
        for item in items:
            if not isinstance(item.node, MappingNode):
                continue
            for key, value in item.node.value:
                if (
                    isinstance(key, ScalarNode)
                    and key.value == "id"
                    and isinstance(value, ScalarNode)
                ):
                    line = node_line(key)
                    if value.value in seen:
                        self.reader.error(
                            line,
                            label(item.where, "id"),
                            _DUPLICATE[what],
                            id=value.value,
                            first=seen[value.value],
                        )
                    seen.setdefault(value.value, line + self.reader.log.line_offset)
        return items

    def accept(self, entry: Entry | None) -> dict[str, tuple[str, ...]]:
        """Accepted answers per language, at least one each."""
        r = self.reader
        fields = r.fields(entry, (), r.languages or SUPPORTED_LANGUAGES)
        if fields is None or entry is None:
            return {}
        for language in r.languages:
            if language not in fields:
                r.error(
                    entry.line,
                    entry.where,
                    N_("missing the '%(language)s' answers"),
                    language=language,
                )
        answers: dict[str, tuple[str, ...]] = {}
        for language, item in fields.entries.items():
            answers[language] = r.text_list(item)
            if isinstance(item.node, SequenceNode) and not answers[language]:
                r.error(item.line, item.where, N_("list at least one accepted answer"))
        return answers

    def check_texts(self) -> None:
        """Render every text (inline) and check its links and images, within the limits."""
        for language, text, line in self.texts:
            if len(text) > MAX_QUIZ_TEXT_CHARS:
                self.reader.log.error(
                    line,
                    N_("a text of %(count)s characters; quiz texts may have at most %(limit)s"),
                    count=len(text),
                    limit=MAX_QUIZ_TEXT_CHARS,
                )
                continue
            scan = self.scans.get(text)
            if scan is None:
                over_limits = markdown_limits(text, line)
                for _, message in over_limits:
                    self.reader.log.error(line, message)
                if over_limits:
                    continue
                scan = render_and_scan(text, self.reader.log, line, inline=True)
                if scan is not None:  # rendered (and within the limits) wherever it appears
                    self.scans[text] = scan
            if scan is not None:
                checker = ReferenceChecker(
                    self.rel_path, self.files, self.reader.log, _at_line(line)
                )
                checker.check(scan, language)
