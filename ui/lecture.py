"""Lecture mode: step through a lesson's page states from the sidebar (called by streamlit_app.py).

A lesson (``explorer.lessons``, files in ``data/lessons/``) is an ordered list of page states.
In lecture mode (``?lecture=<lesson>&slide=<n>`` in the URL, or the sidebar toggle) the sidebar
shows Previous / Next (also the ← / → keys), the step's caption sits prominently above the page, and
a QR code of the step's URL lets students open the same state on their laptops.  A lecturer can add
the current page state as a new step and download the lesson file.
"""
from __future__ import annotations

import io
from urllib.parse import urlsplit

import streamlit as st

from explorer import lessons as L

LECTURE, SLIDE = "lecture", "slide"
_DRAFTS = "_lecture_drafts"      # session: {name: Lesson} edited in this session
_GO = "_lecture_go"              # session: pending navigation (name, index)
_SHOWN = "_lecture_shown"        # session: the step whose view was last applied (name, index)
_NOTICE = "_lecture_notice"      # session: a notice about the link, for the run after the switch
_RESET = "_lecture_reset"        # session: keys a step put back to their defaults, for its next run
_RESET_NOW = "_lecture_reset_now"  # session: those keys during the step's own run (see take_default)


@st.cache_data(show_spinner=False)
def _shipped_and_problems() -> tuple[dict[str, L.Lesson], dict[str, str]]:
    problems: dict[str, str] = {}
    return L.load_all(problems=problems), problems


def _shipped() -> dict[str, L.Lesson]:
    return _shipped_and_problems()[0]


def lessons() -> dict[str, L.Lesson]:
    """Shipped lessons, overridden by this session's edited drafts."""
    out = dict(_shipped())
    out.update(st.session_state.get(_DRAFTS, {}))
    return out


@st.cache_data(show_spinner=False, max_entries=200)
def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG bytes (made locally with segno: no network)."""
    import segno
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=6, border=2)
    return buf.getvalue()


def current() -> tuple[L.Lesson, int] | None:
    """The lesson and 0-based step index the URL asks for, or None (not in lecture mode, or a
    lesson we do not have)."""
    target = L.resolve_link(lessons(), st.query_params.to_dict())
    if target is None or target.lesson is None:
        return None
    return target.lesson, target.index


def _app_root() -> str:
    """The app's root URL as the browser sees it (for links and QR codes)."""
    url = None
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - not available in some test harnesses
        url = None
    if not url:
        return "http://localhost:8501/"
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1] if path else ""
    if last in L.PAGES:
        path = path[: -len(last)].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}/"


def _extra() -> list[tuple[str, str]]:
    return [("present", "true")] if st.session_state.get("present") else []


def go(lesson: L.Lesson, index: int, page_path: str) -> None:
    """Open step ``index`` of ``lesson`` from the page ``page_path``: every widget key the step sets
    takes the step's value, every other widget key goes back to its default, then the page switches
    (to itself when the step is on this page) with the step's URL.  Does not return.

    Why the values are *set* and not just deleted: a widget whose session value is deleted takes
    its value from the URL, but when that value is the widget's default, Streamlit drops it from the
    URL and never tells the browser, which keeps showing the widget's old value while the script
    (and so every chart) uses the default.  Stepping back from ``f = sin(x), x₀ = 0`` to a step with
    the defaults ``f = x^2, x₀ = 1`` showed sin(x) and 0 in the inputs and x² at 1 in the charts.
    A value set through ``st.session_state`` before the widget is created reaches both."""
    index = min(max(index, 0), len(lesson.steps) - 1)
    step = lesson.steps[index]
    query = L.step_query(lesson, index, _extra())
    state = _internal_state()
    keys = set(st.query_params.keys()) | _bound_keys(state)
    for s in lesson.steps:
        keys.update(k for k, _ in s.params)
    keys = {k for k in keys if k not in L.RESERVED and not k.startswith("_lecture")}
    keys |= {f"{k}_preset" for k in keys} | {f"_{k}_last_valid" for k in keys}  # ui.function_input's
    params = step.params_dict()
    # a preset picker follows its text box: ui.function_input picks it from the step's URL value
    derived = {f"{k}_preset" for k in params} - set(params)
    values = _widget_values(state, keys - derived, params) if step.page == page_path else {}
    for k in keys:
        if k in values:              # a widget on this page: the step's value, or its default
            st.session_state[k] = values[k]
        elif k in st.session_state:  # on another page, or not a widget: its URL value decides
            del st.session_state[k]
    _unbind(set(query) | keys)
    st.session_state[_RESET] = {k for k in values if k not in params}
    st.session_state[_SHOWN] = (lesson.name, index)
    st.switch_page(step.page_file, query_params=query)


def take_default(key: str) -> bool:
    """True (once) when a lecture step has just put widget ``key`` back to its default: a widget
    whose default depends on the page's data (regression's m and c) then sets its session value to
    this run's default before it is created.  (``go`` can only give the default of the run before
    the step, which a student opening the step's URL would not see.)"""
    pending = st.session_state.get(_RESET_NOW)
    if pending and key in pending:
        pending.discard(key)
        return True
    return False


def _internal_state():
    """Streamlit's session state object (internal API of the pinned streamlit 1.67.0), or None."""
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state
        return get_session_state()._state
    except Exception:  # noqa: BLE001 - only a nicety; deletion still resets the script's value
        return None


def _bound_keys(state) -> set[str]:
    """Keys of every widget bound to the URL that this session has shown, on any page (a widget on
    a page left earlier keeps its last value under its key, to restore it on return)."""
    try:
        id_to_key = state._key_id_mapper.id_key_mapping
        return {id_to_key[w] for w in state._query_param_bound_widget_ids if w in id_to_key}
    except Exception:  # noqa: BLE001
        return set()


def _widget_values(state, keys, params: dict[str, str]) -> dict:
    """For the widgets of the current page with these keys: the value the step's URL text gives
    (parsed as Streamlit parses a URL value for that widget), or the widget's default when the step
    does not set it.  A value the widget cannot take is left out (the page's own link check then
    shows its notice and the default)."""
    out = {}
    try:
        from streamlit.runtime.state.query_params import parse_url_param
        for k in keys:
            wid = state._key_id_mapper.get_id_from_key(k, None)
            meta = state._new_widget_state.widget_metadata.get(wid) if wid else None
            if meta is None:
                continue
            if k not in params:
                out[k] = meta.deserializer(None)
                continue
            raw = params[k]
            options = getattr(meta, "formatted_options", None)
            if options is not None and meta.value_type == "string_value" and raw not in options:
                continue
            try:
                out[k] = meta.deserializer(parse_url_param(raw, meta.value_type))
            except Exception:  # noqa: BLE001 - a bad value: the page's link check handles it
                continue
    except Exception:  # noqa: BLE001 - internal API changed: deleting still sets the script's value
        return {}
    return out


def _unbind(keys) -> None:
    """Release the URL bindings of ``keys`` so ``st.switch_page`` may set them.

    Streamlit refuses to set a query parameter bound to a widget of the current run
    (``bind="query-params"``); the widgets bind again when the step's page runs.  (Internal API of
    the pinned streamlit 1.67.0: tests/browser/test_lecture_browser.py fails if it changes.)"""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with ctx.session_state.query_params() as qp:
        for k in keys:
            binding = qp.get_binding_for_param(k)
            if binding is not None:
                qp.unbind_widget(binding.widget_id)


def _request(name: str, index: int) -> None:
    st.session_state[_GO] = (name, index)


def _page_state() -> dict[str, str]:
    """The current page's state as URL parameters (widgets bound to the URL)."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in L.RESERVED}


def _save_draft(lesson: L.Lesson) -> None:
    drafts = dict(st.session_state.get(_DRAFTS, {}))
    drafts[lesson.name] = lesson
    st.session_state[_DRAFTS] = drafts


def _follow_link(page_path: str) -> None:
    """A lecture link (``?lecture=<lesson>&slide=<n>``, with or without the step's parameters, on
    any page) opens exactly its step's view: the first time this session meets the link, unless the
    URL already is that view, the step is opened as ◀ / ▶ open it.  Later reruns of the same step
    (a slider moved in lecture mode) keep what the user did.  An unknown lesson or a slide out of
    range gets one notice: the page without lecture mode, or the nearest step."""
    query = st.query_params.to_dict()
    target = L.resolve_link(lessons(), query)
    notice = st.session_state.pop(_NOTICE, None)
    if target is None:                                  # not in lecture mode
        st.session_state.pop(_SHOWN, None)
    elif target.lesson is None:                         # no such lesson: the page as it is
        notice = target.notice
        st.session_state.pop(_SHOWN, None)
        for k in (LECTURE, SLIDE):
            st.query_params.pop(k, None)
    elif target.notice or st.session_state.get(_SHOWN) != (target.lesson.name, target.index):
        if target.notice or not L.shows_step(target, page_path, query):
            extra = L.extra_params(target, query)
            if extra:                # recorded before go(): the notice shows on the step's run
                _ignore("🎓 a lecture link opens its step's own view, so these were ignored: "
                        + ", ".join(f"{_quoted(k)} = {_quoted(v)}" for k, v in extra.items()))
            if target.notice:
                st.session_state[_NOTICE] = target.notice
            go(target.lesson, target.index, page_path)
        st.session_state[_SHOWN] = (target.lesson.name, target.index)
    if notice:                       # shown in the page's one link notice (ui.widgets.flush_notices)
        _ignore("🎓 " + notice)


_LIVE_MARKUP = str.maketrans({c: "\\" + c for c in "[]<>`$*_\\"})   # "[" escaped: no "![" image


def _inert(text: str) -> str:
    """A lesson's caption or title as markdown that shows it as written and can load nothing: no
    links, images, HTML, code, maths or emphasis, no autolinked address (a shared lesson file is
    written by someone else).  Plain punctuation is left alone."""
    # a zero-width space breaks an autolink ("http://", "www.", "a@b"); backslash escapes do not
    return text.translate(_LIVE_MARKUP).replace("://", ":\u200b//").replace("www.", "www\u200b.").replace("@", "\u200b@")


def _ignore(item: str) -> None:
    """Add to the page's one link notice (``ui.widgets.notice_slot`` shows it, after the sidebar)."""
    from ui import widgets          # imported here: ui.widgets imports this module
    widgets.defer(item)


def _quoted(raw) -> str:
    from ui import widgets
    return widgets.quoted(raw)


def unknown_page(page) -> None:
    """A link to a page that does not exist opens the course map (Streamlit's navigation does that):
    say so in the page's link notice.  Uses the browser's URL (``st.context.url``) when known."""
    try:
        url = st.context.url
    except Exception:  # noqa: BLE001 - not available in some test harnesses
        url = None
    if not url:
        return
    asked = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    shown = getattr(page, "url_path", "") or ""
    if asked and asked != shown and asked not in L.PAGES and shown in ("", "home"):
        _ignore(f"the page {_quoted(asked)} (there is no such page: this is the course map)")


def sidebar(page) -> None:
    """Lecture mode's sidebar controls and the step caption; call once per run, before ``page.run()``."""
    page_path = getattr(page, "url_path", "") or "home"
    st.session_state[_RESET_NOW] = st.session_state.pop(_RESET, set())
    pending = st.session_state.pop(_GO, None)
    if pending is not None:
        name, index = pending
        if name in lessons():
            go(lessons()[name], index, page_path)
    _follow_link(page_path)
    here = current()
    all_lessons = lessons()
    if here and here[0].steps[here[1]].page == page_path:
        st.session_state["_lecture_on"] = True
    elif here is None:
        st.session_state["_lecture_on"] = False

    def toggled():
        if st.session_state["_lecture_on"]:
            name = page_path if page_path in all_lessons else next(iter(all_lessons), None)
            if name:
                _request(name, 0)
        else:                                   # leave lecture mode, keep the page's state
            for k in (LECTURE, SLIDE):
                st.query_params.pop(k, None)

    with st.sidebar:
        st.toggle("Lecture mode", key="_lecture_on", on_change=toggled,
                  help="Step through a lesson: each step is a page state with a caption, its own "
                       "link and a QR code. ← / → also step. Also ?lecture=<lesson> in the URL.")
        skipped = _shipped_and_problems()[1]
        if skipped:                  # a lesson file in data/lessons/ that could not be read
            from ui.layout import escape
            st.caption("Lesson files left out: " + "; ".join(f"{escape(k)}: {escape(v[:200])}"
                                                            for k, v in skipped.items()))
        if here is None:
            return
        lesson, index = here
        n = len(lesson.steps)
        names = list(all_lessons)
        st.session_state["_lecture_pick"] = lesson.name
        st.selectbox("Lesson", names, key="_lecture_pick", format_func=lambda k: all_lessons[k].title,
                     on_change=lambda: _request(st.session_state["_lecture_pick"], 0))
        c1, c2 = st.columns(2)
        prev = c1.button("◀ Previous", key="_lecture_prev", disabled=index == 0, shortcut="Left",
                         width="stretch")
        nxt = c2.button("Next ▶", key="_lecture_next", disabled=index >= n - 1, shortcut="Right",
                        width="stretch")
        st.session_state["_lecture_slide"] = index
        st.selectbox("Step", list(range(n)), key="_lecture_slide",
                     format_func=lambda i: f"{i + 1}. {lesson.steps[i].caption[:60]}",
                     on_change=lambda: _request(lesson.name, st.session_state["_lecture_slide"]))
        url = L.step_url(_app_root(), lesson, index)
        with st.expander("📱 This step on your laptop", expanded=True):
            st.image(qr_png(url), width=180, alt=f"QR code of this step's link: {url}")
            st.code(url, language=None, wrap_lines=True)
        _editor(lesson, index, page_path)
    if prev:
        go(lesson, index - 1, page_path)
    if nxt:
        go(lesson, index + 1, page_path)
    step = lesson.steps[index]
    with st.container(key="lecture_caption"):
        st.caption(f"🎓 {_inert(lesson.title)} · step {index + 1} of {n}")
        st.markdown(f"### {_inert(step.caption)}")
        if step.page != page_path:
            st.info("This page is not the lesson's page for this step: **Next** / **Previous** "
                    "continue the lesson.", icon="🧭")


def _editor(lesson: L.Lesson, index: int, page_path: str) -> None:
    with st.expander("✏️ Edit this lesson"):
        caption = st.text_input("Caption for a new step", key="_lecture_caption_text", max_chars=L.MAX_CAPTION,
                                placeholder="What to look at in this state")
        if st.button("➕ Add this page's state as the next step", key="_lecture_add", width="stretch"):
            try:
                step = L.LessonStep(page_path if page_path in L.PAGES else "home",
                                    (caption or "").strip() or "(no caption)",
                                    tuple(_page_state().items()))
                new = L.loads(L.dumps(lesson.with_step(step, index + 1)), lesson.name)  # validated
            except L.LessonError as err:
                st.error(str(err))
            else:
                _save_draft(new)
                st.session_state.pop("_lecture_caption_text", None)
                go(new, index + 1, page_path)
        if len(lesson.steps) > 1 and st.button("🗑️ Remove this step", key="_lecture_remove", width="stretch"):
            new = lesson.without_step(index)
            _save_draft(new)
            go(new, min(index, len(new.steps) - 1), page_path)
        st.download_button("⬇️ Download the lesson file", L.dumps(lesson), file_name=f"{lesson.name}.toml",
                           mime="application/toml", key="_lecture_download", width="stretch")
        if lesson.name in st.session_state.get(_DRAFTS, {}):
            st.caption("Edited in this session: download the file and put it in `data/lessons/` to keep it.")
