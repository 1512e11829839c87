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


@st.cache_data(show_spinner=False)
def _shipped() -> dict[str, L.Lesson]:
    return L.load_all()


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
    """The lesson and 0-based step index the URL asks for, or None (not in lecture mode)."""
    name = st.query_params.get(LECTURE)
    all_lessons = lessons()
    if not name or name not in all_lessons:
        return None
    lesson = all_lessons[name]
    try:
        index = int(st.query_params.get(SLIDE, "1")) - 1
    except ValueError:
        index = 0
    return lesson, min(max(index, 0), len(lesson.steps) - 1)


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


def go(lesson: L.Lesson, index: int) -> None:
    """Open step ``index`` of ``lesson``: reset the widgets it (or the current URL) sets, so the
    step's URL values decide the page's state, then switch page.  Does not return."""
    index = min(max(index, 0), len(lesson.steps) - 1)
    step = lesson.steps[index]
    keys = set(st.query_params.keys())
    for s in lesson.steps:
        keys.update(k for k, _ in s.params)
    keys -= set(L.RESERVED)
    keys |= {f"{k}_preset" for k in keys} | {f"_{k}_last_valid" for k in keys}  # ui.function_input's
    query = L.step_query(lesson, index, _extra())
    defaults = _widget_defaults(keys - set(query))
    for k in keys:
        if k in defaults:           # a widget of this page the step leaves alone: back to its default
            st.session_state[k] = defaults[k]
        elif k in st.session_state:  # set by the step (its URL value seeds the widget) or not a widget
            del st.session_state[k]
    _unbind(set(query) | keys)
    st.switch_page(step.page_file, query_params=query)


def _widget_defaults(keys) -> dict:
    """Default values of the current widgets with these keys.

    Resetting a widget by deleting its state leaves the browser showing the old value while the
    script uses the default; setting the default through ``st.session_state`` updates both.
    (Internal API of the pinned streamlit 1.67.0; on any surprise, fall back to deleting.)"""
    out = {}
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state
        state = get_session_state()._state
        for k in keys:
            wid = state._key_id_mapper.get_id_from_key(k)
            meta = state._new_widget_state.widget_metadata.get(wid) if wid else None
            if meta is not None:
                out[k] = meta.deserializer(None)
    except Exception:  # noqa: BLE001 - only a nicety; deletion still resets the script's value
        return {}
    return out


def _unbind(keys) -> None:
    """Release the URL bindings of ``keys`` so ``st.switch_page`` may set them.

    Streamlit refuses to set a query parameter bound to a widget of the current run
    (``bind="query-params"``); the widgets bind again when the step's page runs, and since their
    session values were just cleared they take their values from the step's URL.  (Internal API of
    the pinned streamlit 1.67.0: tests/test_lecture_browser.py fails if it changes.)"""
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


def sidebar(page) -> None:
    """Lecture mode's sidebar controls and the step caption; call once per run, before ``page.run()``."""
    pending = st.session_state.pop(_GO, None)
    if pending is not None:
        name, index = pending
        if name in lessons():
            go(lessons()[name], index)
    here = current()
    all_lessons = lessons()
    page_path = getattr(page, "url_path", "") or "home"
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
            st.image(qr_png(url), width=180)
            st.code(url, language=None, wrap_lines=True)
        _editor(lesson, index, page_path)
    if prev:
        go(lesson, index - 1)
    if nxt:
        go(lesson, index + 1)
    step = lesson.steps[index]
    with st.container(key="lecture_caption"):
        st.caption(f"🎓 {lesson.title} · step {index + 1} of {n}")
        st.markdown(f"### {step.caption}")
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
                go(new, index + 1)
        if len(lesson.steps) > 1 and st.button("🗑️ Remove this step", key="_lecture_remove", width="stretch"):
            new = lesson.without_step(index)
            _save_draft(new)
            go(new, min(index, len(new.steps) - 1))
        st.download_button("⬇️ Download the lesson file", L.dumps(lesson), file_name=f"{lesson.name}.toml",
                           mime="application/toml", key="_lecture_download", width="stretch")
        if lesson.name in st.session_state.get(_DRAFTS, {}):
            st.caption("Edited in this session: download the file and put it in `data/lessons/` to keep it.")
