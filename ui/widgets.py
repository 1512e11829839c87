"""Widgets bound to the URL (``bind="query-params"``), so a copied link reproduces the view; an
invalid value in a shared link falls back to the default, never an exception.

Everything a link asked for and did not get (a bad value, an unknown parameter, an unknown page, a
lecture link's extra parameters) is collected during the run (``ignore``) and shown as ONE notice
above the page (``notice_slot`` before the page runs, ``flush_notices`` after it; a page run on its
own puts it where the first bad value is met). Link text in the notice is its ``repr`` inside a
code span (``quoted``), labels go through ``ui.layout.escape``: nothing from a link is ever rendered
as markdown, HTML, a link or an image."""
from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping, Sequence

import streamlit as st
from streamlit.errors import StreamlitValueAboveMaxError, StreamlitValueBelowMinError

from ui.layout import escape
from ui.lecture import take_default

_IGNORED = "_link_ignored"        # session: ignored items deferred to the next run (a page switch)
_RUN = "_link_notice_run"        # session: this run's notice (see _run_record)
_REPORTED = "_link_reported"      # session: unknown parameters already reported, (page, key, value)
RESERVED = ("lecture", "slide", "present")   # URL parameters of the app shell, not of a page
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", re.ASCII)   # plain decimal only
MAX_SHOWN = 8                     # items listed in the notice (the rest are counted)


def _url_value(key: str) -> str | None:
    try:
        vals = st.query_params.get_all(key)
    except Exception:  # pragma: no cover - defensive
        return None
    return vals[0] if vals else None


def quoted(raw: object, limit: int = 40) -> str:
    """Link text shown back, inert: its ``repr`` (control and direction characters such as U+202E
    appear as escapes), cut to ``limit`` characters, as an inline code span, which markdown shows
    literally: no emphasis, link, image, HTML, maths, and no autolinked address (backslash escapes
    do not stop Streamlit's renderer from linking "http://…", "www.…" or "a@b.c"; a code span does)."""
    text = repr(str(raw)[:limit]) + ("…" if len(str(raw)) > limit else "")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def _run_record(create: bool = True):
    """This script run's notice: {"items": [...], "slot": st.empty, "run": the run's cursor dict}.
    Made by ``notice_slot`` at the top of the page, or where the first ignored value is met (a page
    run on its own, or a fragment rerun); a new run starts a new notice."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx()
    run = getattr(ctx, "cursors", None)
    rec = st.session_state.get(_RUN)
    if rec is not None and run is not None and rec["run"] is run:
        return rec
    if not create:
        return None
    rec = {"run": run, "items": list(st.session_state.pop(_IGNORED, [])), "slot": None, "icon": "🔗"}
    st.session_state[_RUN] = rec
    return rec


def _render(rec) -> None:
    if rec["items"]:
        if rec["slot"] is None:
            rec["slot"] = st.empty()
        rec["slot"].warning(notice_text(rec["items"]), icon=rec["icon"])


def ignore(item: str) -> None:
    """Record one thing a link asked for that this page ignored (already-escaped markdown) and show
    it in this run's one notice."""
    rec = _run_record()
    if item not in rec["items"]:
        rec["items"].append(item)
        _render(rec)


def defer(item: str) -> None:
    """Record an ignored item for the next run's notice (the run is about to switch page)."""
    items = st.session_state.setdefault(_IGNORED, [])
    if item not in items:
        items.append(item)


def _bad_link(label: str, raw: str, default: Any, key: str | None = None) -> None:
    """Note the bad link value and drop it from the URL before the widget is made, so that Streamlit
    never parses it (``int('inf')`` raised an exception box) and the widget takes its default."""
    ignore(f"**{escape(label)}** = {quoted(raw)} (not a valid value here; the default {escape(default)} is used)")
    if key is not None:
        _drop_param(key)


def _drop_param(key: str) -> None:
    """Remove ``key`` from the URL and from the URL values Streamlit seeds widgets from (internal
    API of streamlit 1.67.0: tests/app/test_links_app.py fails if it changes)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    try:
        st.query_params.pop(key, None)
        ctx = get_script_run_ctx()
        if ctx is not None:
            with ctx.session_state.query_params() as qp:
                qp._initial_query_params.pop(key, None)
    except Exception:  # noqa: BLE001 - then Streamlit's own parsing decides
        pass


def number_ok(raw: str, lo: float | None, hi: float | None, whole: bool) -> bool:
    """Is the URL text ``raw`` a finite number within [lo, hi] (a whole number when ``whole``)?
    ``1.5.5``, ``%00``, ``inf``, ``nan``, ``1e309`` and text with control characters are not."""
    text = str(raw)
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        return False
    try:
        v = float(text)
    except (ValueError, OverflowError):
        return False
    if not math.isfinite(v) or (lo is not None and v < lo) or (hi is not None and v > hi):
        return False
    return not whole or v.is_integer()


def unknown_params(query: Mapping[str, object], known: Iterable[str]) -> list[str]:
    """The query keys that no widget of this page read (and that the app shell does not use)."""
    known = set(known) | set(RESERVED)
    return [k for k in query if k not in known]


def notice_text(items: Sequence[str]) -> str:
    """The one notice listing everything a link asked for and did not get (items are escaped)."""
    shown = list(dict.fromkeys(items))
    more = len(shown) - MAX_SHOWN
    lines = [f"- {item}" for item in shown[:MAX_SHOWN]]
    if more > 0:
        lines.append(f"- and {more} more")
    return ("Part of this link was ignored, so the page shows its defaults there:\n\n" + "\n".join(lines))


def _bound_params() -> set[str]:
    """The URL parameters bound to a widget of this session (internal API of streamlit 1.67.0;
    tests/app/test_links_app.py fails if it changes)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx()
    if ctx is None:
        return set()
    try:
        with ctx.session_state.query_params() as qp:
            return {k for k in qp.keys() if qp.get_binding_for_param(k) is not None}
    except Exception:  # noqa: BLE001 - unknown-parameter notices are a nicety
        return set(st.query_params.keys())


def notice_slot() -> None:
    """Place this run's link notice here (``streamlit_app.py`` calls it above the page): with
    what earlier steps deferred (``defer``), in a container keyed ``lecture_notice`` when a lecture
    link is among them, else ``link_notice``."""
    rec = _run_record()
    lecture = any(item.startswith("🎓") for item in rec["items"])
    rec["icon"] = "🎓" if lecture else "🔗"
    with st.container(key="lecture_notice" if lecture else "link_notice"):
        rec["slot"] = st.empty()
    _render(rec)


def flush_notices(*, page: str = "", extra_known: Iterable[str] = ()) -> None:
    """After the page ran: add the URL parameters no widget read to this run's notice.  An unknown
    parameter stays in the address bar (it does nothing) and is reported once a session and page."""
    try:
        query = st.query_params.to_dict()
    except Exception:  # noqa: BLE001
        query = {}
    reported = st.session_state.setdefault(_REPORTED, set())
    for k in unknown_params(query, _bound_params() | set(extra_known)):
        mark = (page, k, str(query[k]))
        if mark not in reported:
            reported.add(mark)
            ignore(f"{quoted(k)} = {quoted(query[k])} (not a setting of this page or of the view shown)")


def slider(label: str, min_value: float, max_value: float, value: float, step: float | None = None,
           *, key: str, **kwargs: Any):
    if take_default(key):            # a lecture step put it back to its default: this run's default
        st.session_state[key] = value
    raw = _url_value(key)
    if raw is not None and key not in st.session_state:
        whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (min_value, max_value, value))
        if not number_ok(raw, min_value, max_value, whole):
            _bad_link(label, raw, value, key)
    # a range that depends on the data can move away from the value a session holds: keep it inside
    held = st.session_state.get(key)
    if isinstance(held, (int, float)) and not isinstance(held, bool) and not min_value <= held <= max_value:
        st.session_state[key] = type(held)(min(max(held, min_value), max_value))
    fix = f"_{key}_clamped"
    if fix in st.session_state:
        st.session_state[key] = st.session_state.pop(fix)
    try:
        return st.slider(label, min_value, max_value, value, step, key=key, bind="query-params", **kwargs)
    except (StreamlitValueBelowMinError, StreamlitValueAboveMaxError):
        # the browser sent the value it still shows, from before the range moved: clamp and rerun
        held = st.session_state.get(key, value)
        held = held if isinstance(held, (int, float)) and not isinstance(held, bool) else value
        st.session_state[fix] = type(min_value)(min(max(held, min_value), max_value))
        st.rerun()


def select(label: str, options: Sequence[Any], index: int = 0, *, key: str, widget=None, **kwargs: Any):
    """A selectbox (or ``widget=st.radio`` / ``st.segmented_control``) bound to the URL."""
    raw = _url_value(key)
    shown = kwargs.get("format_func", str)    # a bound widget writes the displayed label to the URL
    if raw is not None and key not in st.session_state and raw not in [str(o) for o in options] \
            and raw not in [str(shown(o)) for o in options]:
        _bad_link(label, raw, shown(options[index]), key)
    widget = widget or st.selectbox
    if widget in (st.segmented_control, st.pills):
        return widget(label, options, default=options[index], key=key, bind="query-params", **kwargs)
    return widget(label, options, index=index, key=key, bind="query-params", **kwargs)


def toggle(label: str, value: bool = False, *, key: str, **kwargs: Any) -> bool:
    raw = _url_value(key)
    if raw is not None and key not in st.session_state and raw.lower() not in ("true", "false"):
        _bad_link(label, raw, "on" if value else "off", key)
    return st.toggle(label, value=value, key=key, bind="query-params", **kwargs)


def number(label: str, value: float, *, key: str, min_value=None, max_value=None, **kwargs: Any):
    raw = _url_value(key)
    if raw is not None and key not in st.session_state:
        whole = isinstance(value, int) and not isinstance(value, bool) and isinstance(kwargs.get("step", 1), int)
        if not number_ok(raw, min_value, max_value, whole):
            _bad_link(label, raw, value, key)
    return st.number_input(label, value=value, min_value=min_value, max_value=max_value, key=key,
                           bind="query-params", **kwargs)
