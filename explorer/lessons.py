"""Lessons for lecture mode: short ordered lists of page states, kept as TOML files in data/lessons/.

A lesson file (see data/lessons/README.md)::

    title = "Taylor series: building a function from its derivatives"
    module = "taylor"

    [[steps]]
    page = "taylor"                      # a page's url path
    caption = "Order 1: the tangent line." # one line, shown prominently
    [steps.params]                       # widget keys -> values, exactly as in the page's URL
    order = 1
    x0 = 0.5

``tomllib`` reads the files and ``tomli_w`` writes them (the standard library has no TOML writer).
Widget values are kept as the text the URL carries; a page treats an unknown key or a bad value
like any other shared link (ignored / default with a notice), so a stale lesson cannot break a page.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlencode

import tomli_w

from explorer.course import FILES

__all__ = ["Lesson", "LessonStep", "LessonError", "PAGES", "RESERVED", "loads", "load", "dumps",
           "save", "validate", "load_all", "step_query", "step_url", "LESSON_DIR",
           "LinkTarget", "slide_index", "resolve_link", "shows_step", "extra_params", "MAX_FILE_CHARS",
           "inert_text"]

LESSON_DIR = Path(__file__).resolve().parents[1] / "data" / "lessons"

# url path -> page file (the course registry)
PAGES: dict[str, str] = FILES
# URL parameters lecture mode itself uses (a lesson step may not set them)
RESERVED = ("lecture", "slide", "present")

MAX_STEPS = 60
MAX_CAPTION = 240
MAX_TITLE = 120
MAX_VALUE = 500
MAX_PARAMS = 40
MAX_FILE_CHARS = 200_000
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")


class LessonError(ValueError):
    """A lesson file is not valid; the message says where and why."""


@dataclass(frozen=True)
class LessonStep:
    page: str                                   # url path, a key of PAGES
    caption: str
    params: tuple[tuple[str, str], ...] = ()    # (widget key, URL value), in file order

    @property
    def page_file(self) -> str:
        return PAGES[self.page]

    def params_dict(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True)
class Lesson:
    name: str                                   # file stem, also the ?lecture= value
    title: str
    module: str
    steps: tuple[LessonStep, ...] = field(default_factory=tuple)

    def with_step(self, step: LessonStep, at: int | None = None) -> "Lesson":
        """A copy with ``step`` inserted at index ``at`` (default: at the end)."""
        steps = list(self.steps)
        steps.insert(len(steps) if at is None else max(0, min(at, len(steps))), step)
        if len(steps) > MAX_STEPS:
            raise LessonError(f"A lesson has at most {MAX_STEPS} steps.")
        return Lesson(self.name, self.title, self.module, tuple(steps))

    def without_step(self, index: int) -> "Lesson":
        steps = list(self.steps)
        if len(steps) <= 1 or not 0 <= index < len(steps):
            raise LessonError("A lesson keeps at least one step.")
        del steps[index]
        return Lesson(self.name, self.title, self.module, tuple(steps))


# ---------------------------------------------------------------------------------------------
# Validation
def _value_text(key: str, v: Any, where: str) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise LessonError(f"{where}: the value of '{key}' must be a finite number.")
        return repr(v)
    if isinstance(v, str):
        if len(v) > MAX_VALUE:
            raise LessonError(f"{where}: the value of '{key}' is too long (at most {MAX_VALUE} characters).")
        if any(ord(c) < 32 or ord(c) == 127 for c in v):
            raise LessonError(f"{where}: the value of '{key}' contains a control character.")
        return v
    raise LessonError(f"{where}: the value of '{key}' must be text, a number or true/false, "
                      f"not {type(v).__name__}.")


def _one_line(text: Any, what: str, limit: int, where: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise LessonError(f"{where}: '{what}' must be non-empty text.")
    if "\n" in text.strip() or "\r" in text:
        raise LessonError(f"{where}: '{what}' must be a single line.")
    if len(text) > limit:
        raise LessonError(f"{where}: '{what}' is too long (at most {limit} characters).")
    if any(ord(c) < 32 or ord(c) == 127 for c in text.strip()):
        raise LessonError(f"{where}: '{what}' contains a control character.")
    return text.strip()


def validate(data: Mapping[str, Any], name: str = "lesson") -> Lesson:
    """A checked ``Lesson`` from parsed TOML data; raises ``LessonError`` naming the problem."""
    if not isinstance(data, Mapping):
        raise LessonError("A lesson must be a table with 'title', 'module' and [[steps]].")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise LessonError(f"Invalid lesson name {_quoted(name)}: use lower-case letters, digits, - and _.")
    unknown = set(data) - {"title", "module", "steps", "description"}
    if unknown:
        raise LessonError(f"Unknown field(s) {', '.join(_quoted(k) for k in sorted(unknown, key=str))}: "
                          "a lesson has title, module and steps.")
    title = _one_line(data.get("title"), "title", MAX_TITLE, "The lesson")
    module = data.get("module")
    if not isinstance(module, str) or module not in PAGES:    # a list or table is no page (and unhashable)
        raise LessonError(f"The lesson's module must be one of {', '.join(PAGES)}, not {_quoted(module)}.")
    steps_data = data.get("steps")
    if not isinstance(steps_data, list) or not steps_data:
        raise LessonError("A lesson needs at least one [[steps]] entry.")
    if len(steps_data) > MAX_STEPS:
        raise LessonError(f"A lesson has at most {MAX_STEPS} steps.")
    steps = []
    for i, s in enumerate(steps_data, 1):
        where = f"Step {i}"
        if not isinstance(s, Mapping):
            raise LessonError(f"{where} must be a table.")
        extra = set(s) - {"page", "caption", "params"}
        if extra:
            raise LessonError(f"{where}: unknown field(s) {', '.join(_quoted(k) for k in sorted(extra, key=str))}.")
        page = s.get("page")
        if not isinstance(page, str) or page not in PAGES:
            raise LessonError(f"{where}: 'page' must be one of {', '.join(PAGES)}, not {_quoted(page)}.")
        caption = _one_line(s.get("caption"), "caption", MAX_CAPTION, where)
        params = s.get("params", {})
        if not isinstance(params, Mapping):
            raise LessonError(f"{where}: 'params' must be a table of widget keys and values.")
        if len(params) > MAX_PARAMS:
            raise LessonError(f"{where}: at most {MAX_PARAMS} params.")
        pairs = []
        for k, v in params.items():
            if not isinstance(k, str) or not _KEY.fullmatch(k):
                raise LessonError(f"{where}: {_quoted(k)} is not a valid widget key.")
            if k in RESERVED:
                raise LessonError(f"{where}: '{k}' is reserved for lecture mode.")
            pairs.append((k, _value_text(k, v, where)))
        steps.append(LessonStep(page, caption, tuple(pairs)))
    return Lesson(name, title, module, tuple(steps))


# ---------------------------------------------------------------------------------------------
# Reading and writing
def loads(text: str, name: str = "lesson") -> Lesson:
    """A lesson from TOML text (a leading UTF-8 byte-order mark is allowed); ``LessonError`` names
    the problem: not TOML, nested too deeply, too long, or not a valid lesson."""
    if len(text) > MAX_FILE_CHARS:
        raise LessonError(f"The lesson file is too long ({len(text):,} characters; at most {MAX_FILE_CHARS:,}).")
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LessonError(f"The lesson file is not valid TOML: {err}") from None
    except RecursionError:
        raise LessonError("The lesson file is not a lesson: its arrays or tables are nested too deeply.") from None
    except ValueError as err:     # tomllib lets int()'s own errors through (a number of 5,000 digits)
        what = "a number in it has too many digits" if "digits" in str(err) else "a value in it cannot be read"
        raise LessonError(f"The lesson file is not valid TOML: {what}.") from None
    return validate(data, name)


def load(path: "str | Path") -> Lesson:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise LessonError(f"The lesson file {path.name} is not UTF-8 text (byte {err.start}).") from None
    return loads(text, path.stem)


def load_all(directory: "str | Path" = LESSON_DIR, problems: "dict[str, str] | None" = None) -> dict[str, Lesson]:
    """Every valid lesson in ``directory`` by name, in file-name order. An invalid file is skipped
    (the tests check the shipped ones); ``problems``, if given, receives its name and message."""
    out = {}
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            out[path.stem] = load(path)
        except (LessonError, OSError) as err:
            if problems is not None:
                problems[path.name] = str(err)
    return out


def _typed(v: str) -> "str | int | float | bool":
    """A URL value as the TOML boolean or number that reads back as the same text, else the text
    (so ``007``, ``0.50`` and ``1e5`` stay strings: read back as numbers they would change)."""
    if v in ("true", "false"):
        return v == "true"
    try:
        n = int(v)
        if -2**63 <= n < 2**63 and str(n) == v:
            return n
    except ValueError:
        pass
    try:
        f = float(v)
        if math.isfinite(f) and repr(f) == v:
            return f
    except ValueError:
        pass
    return v


def dumps(lesson: Lesson) -> str:
    """TOML text for ``lesson`` (written by ``tomli_w``); ``loads(dumps(l), l.name) == l``."""
    steps = []
    for s in lesson.steps:
        step = {"page": s.page, "caption": s.caption}
        if s.params:
            step["params"] = {k: _typed(v) for k, v in s.params}
        steps.append(step)
    return tomli_w.dumps({"title": lesson.title, "module": lesson.module, "steps": steps})


def save(lesson: Lesson, path: "str | Path") -> None:
    text = dumps(lesson)
    loads(text, lesson.name)          # never write a file we could not read back
    Path(path).write_text(text, encoding="utf-8")


def step_query(lesson: Lesson, index: int, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """The query parameters of step ``index`` (0-based) in lecture mode."""
    step = lesson.steps[index]
    q = dict(step.params)
    q.update({"lecture": lesson.name, "slide": str(index + 1)})
    q.update(dict(extra))
    return q


def step_url(base: str, lesson: Lesson, index: int, extra: Iterable[tuple[str, str]] = ()) -> str:
    """The full URL of step ``index``: ``base`` is the app's root URL (e.g. http://host:8501/)."""
    step = lesson.steps[index]
    root = base.rstrip("/") + "/"
    return root + step.page + "?" + urlencode(step_query(lesson, index, extra))


# ---------------------------------------------------------------------------------------------
# Lecture links: ?lecture=<lesson>&slide=<n>, on any page, with or without the step's parameters
@dataclass(frozen=True)
class LinkTarget:
    """Where a lecture link leads: step ``index`` (0-based) of ``lesson``, and a notice for the
    reader when the link had to be corrected. ``lesson`` is None when the link names no lesson
    we have: then the page is shown without lecture mode, with the notice."""
    lesson: Lesson | None
    index: int = 0
    notice: str | None = None

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.index]

    @property
    def page(self) -> str:
        """The url path of the step's page."""
        return self.step.page

    @property
    def params(self) -> dict[str, str]:
        """Every widget value of the step's view (keys it does not name are at their defaults)."""
        return self.step.params_dict()

    def query(self, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
        return step_query(self.lesson, self.index, extra)


def _quoted(raw: str) -> str:
    """Link text to repeat in a notice: at most 40 characters, printable, as inline code (markdown
    in a link must not render as a link or a heading)."""
    text = "".join(c for c in str(raw) if c.isprintable() and c != "`")[:40]
    return f"`{text}`" if text.strip() else "(empty)"


_MARKUP = str.maketrans({c: "\\" + c for c in "[]<>`$*_\\"})   # "[" escaped: no "![" image


def inert_text(text: str) -> str:
    """Lesson text (a title) for a markdown notice, shown as written and loading nothing: no link,
    image, HTML, code, maths or emphasis, no autolinked address (as ``ui.lecture`` shows captions)."""
    return (str(text).translate(_MARKUP).replace("://", ":\u200b//").replace("www.", "www\u200b.")
            .replace("@", "\u200b@"))


def slide_index(raw: "str | None", lesson: Lesson) -> tuple[int, str | None]:
    """The 0-based step a ``slide=`` value asks for, and a notice when it is not a step of ``lesson``
    (not a whole number: step 1; below 1: step 1; past the end: the last step)."""
    n = len(lesson.steps)
    if raw is None:
        return 0, None
    text = str(raw).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
        return 0, (f"The link's slide {_quoted(raw)} is not a step number: “{inert_text(lesson.title)}” has "
                   f"steps 1 to {n}. Showing step 1.")
    k = int(text)
    if 1 <= k <= n:
        return k - 1, None
    index = 0 if k < 1 else n - 1
    return index, (f"“{inert_text(lesson.title)}” has steps 1 to {n}, so there is no step {k}. "
                   f"Showing step {index + 1}.")


def resolve_link(lessons: Mapping[str, Lesson], query: Mapping[str, str]) -> LinkTarget | None:
    """Where a URL with these query parameters leads in lecture mode: None when it has no
    ``lecture=`` (not a lecture link), a target without a lesson (and a notice) when it names a lesson
    we do not have, else the step with its page and parameters (and a notice when ``slide=`` was
    corrected). The page the link was opened on does not matter: the step names its own page."""
    name = query.get("lecture")
    if name is None:
        return None
    if name not in lessons:
        known = ", ".join(f"`{k}`" for k in lessons) or "none"
        return LinkTarget(None, 0, f"There is no lesson called {_quoted(name)} (the lessons are {known}). "
                                   "Showing this page without lecture mode.")
    lesson = lessons[name]
    index, notice = slide_index(query.get("slide"), lesson)
    return LinkTarget(lesson, index, notice)


def extra_params(target: LinkTarget, query: Mapping[str, str]) -> dict[str, str]:
    """The parameters of a lecture link beyond its step's own (other keys, or other values than the
    step's): opening the step drops them, and the page says so."""
    if target.lesson is None:
        return {}
    own = target.params
    return {k: str(v) for k, v in query.items() if k not in RESERVED and own.get(k) != str(v)}


def shows_step(target: LinkTarget, page: str, query: Mapping[str, str]) -> bool:
    """True when the page ``page`` with URL ``query`` is already exactly the step's view: the step's
    page, the step's slide number, and the step's parameters and no others (lecture mode's own
    ``lecture``, ``slide`` and ``present`` aside)."""
    if target.lesson is None or target.notice or page != target.page:
        return False
    if query.get("slide") != str(target.index + 1):
        return False
    return {k: str(v) for k, v in query.items() if k not in RESERVED} == target.params
