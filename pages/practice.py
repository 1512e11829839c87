"""Practice: drills for every module, generated with seeded random coefficients and marked by sympy."""
import streamlit as st

import ui
from explorer import practice as P
from explorer.figures.practice import points_figure

MODULE_OPTIONS = list(P.MODULES) + ["mixed"]
MODULE_TITLES = dict(P.MODULES, mixed="🎲 Mixed: any module")
LEVELS = ["warm-up", "standard", "challenge"]


@st.cache_data(show_spinner=False, max_entries=500)
def question(module: str, level: int, seed: int, number: int) -> P.Question:
    return P.generate(module, level, seed, number)


@st.cache_data(show_spinner=False, max_entries=2000)
def marked(module: str, level: int, seed: int, number: int, answers: tuple[str, ...]) -> P.Feedback:
    return P.mark(question(module, level, seed, number), answers)


def progress() -> P.Progress:
    """This session's score, streak and what each question shows."""
    return st.session_state.setdefault("_practice_progress", P.Progress())


def _next_question() -> None:
    st.session_state["q"] = P.next_number(st.session_state.get("q", 1))


def _new_set() -> None:
    st.session_state["set"] = P.new_set()
    st.session_state["q"] = 1


ui.page_header("✍️ Practice",
               "Drills for every module with fresh numbers each time, marked by the computer algebra "
               "system: type an expression or a number, and any correct form counts "
               "(`2x cos(x^2)` and `cos(x**2)*2*x` alike). The **set** number is in the link, so a "
               "class can work through the same questions.")

c1, c2, c3, c4 = st.columns([3, 2, 1, 1], vertical_alignment="bottom")
with c1:   # options are the URL values themselves (a bound widget's URL carries the shown label)
    module = ui.select("Module", MODULE_OPTIONS, 0, key="drill")
    st.caption(MODULE_TITLES[module])
with c2:
    level_name = ui.select("Difficulty", LEVELS, 1, key="level", widget=st.radio, horizontal=True)
with c3:
    seed = ui.number("Set", 1, key="set", min_value=0, max_value=P.MAX_SET, step=1,
                     help="The question set: share the link (or this number) so everyone gets the same questions.")
with c4:
    number = ui.number("Question", 1, key="q", min_value=1, max_value=P.MAX_NUMBER, step=1)
level = LEVELS.index(level_name) + 1
seed, number = int(seed), int(number)


@st.fragment
def drill() -> None:
    q = question(module, level, seed, number)
    qkey = f"{module}-{level}-{seed}-{number}"
    done = progress()
    scoreboard = st.empty()         # filled at the end, after this run's answer is recorded

    with st.container(border=True):
        st.markdown(f"**{number} · {q.kind}.** {q.prompt}")
        st.latex(q.latex)
        if q.points:
            ui.chart(points_figure(q), key="practice_points")
            ui.notice("five points only: the least-squares line passes through their mean point (x̄, ȳ).")
        with st.form(key=f"form_{qkey}", border=False):
            cols = st.columns(len(q.parts))
            answers = []
            for i, (col, part) in enumerate(zip(cols, q.parts)):
                with col:
                    answers.append(st.text_input(part.label, key=f"ans_{qkey}_{i}", max_chars=300,
                                                 help=part.hint, placeholder=part.placeholder))
            b1, b2 = st.columns(2)
            check = b1.form_submit_button("✔️ Check", type="primary", width="stretch")
            reveal = b2.form_submit_button("💡 Show the solution", width="stretch")

    if check:
        if P.blank(answers):
            st.warning("Type an answer first (or press **Show the solution**).", icon="✏️")
        else:
            done.checked(qkey, marked(module, level, seed, number, tuple(answers)))
    if reveal:
        done.revealed(qkey)

    with scoreboard.container():
        s1, s2, s3 = st.columns(3)          # (the question's number and kind head its box)
        s1.metric("Score", f"{done.right} / {done.tried}")
        s2.metric("Streak", f"🔥 {done.streak}" if done.hot else done.streak)
        s3.metric("Best streak", done.best)
    outcome = done.outcome(qkey)
    if outcome is None:
        return
    fb = outcome.feedback
    names = [p.name for p in q.parts]
    for text in done.read_errors(qkey, names):
        st.error(text, icon="⚠️")
    verdict = done.verdict(qkey, names)
    if verdict is not None and fb.correct:
        st.success(verdict, icon="✅")
    elif verdict is not None:
        st.error(verdict, icon="❌")
        if fb.mistake is not None:
            st.warning(f"**This looks like {fb.mistake.name}.** {fb.mistake.explanation}", icon="🔎")
    if not outcome.shows_solution:
        return
    with st.expander("📝 Worked solution", expanded=True):
        for i, step in enumerate(q.steps, 1):
            st.markdown(f"**{i}. {step.rule}**")
            st.latex(step.latex)
        st.markdown("**Answer**")
        st.latex(q.answer_latex)
    if st.button("Next question ▶", on_click=_next_question, type="primary", key=f"next_{qkey}"):
        st.rerun()      # the question number is outside this fragment: only a full run shows the next question


drill()
st.button("🎲 New set of questions", on_click=_new_set, help="A new random set number (shown above, and in the link).")
