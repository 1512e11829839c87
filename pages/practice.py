"""Practice: drills for every module, generated with seeded random coefficients and marked by sympy."""
import random

import streamlit as st

import ui
from explorer import practice as P

MODULE_OPTIONS = list(P.MODULES) + ["mixed"]
MODULE_TITLES = dict(P.MODULES, mixed="🎲 Mixed: any module")
LEVELS = ["warm-up", "standard", "challenge"]
SCORE = "_practice_score"          # session: {"tried", "right", "streak", "best", "done": {qid: bool}}


@st.cache_data(show_spinner=False, max_entries=500)
def question(module: str, level: int, seed: int, number: int) -> P.Question:
    return P.generate(module, level, seed, number)


@st.cache_data(show_spinner=False, max_entries=2000)
def marked(module: str, level: int, seed: int, number: int, answers: tuple[str, ...]) -> P.Feedback:
    return P.mark(question(module, level, seed, number), answers)


def _score() -> dict:
    return st.session_state.setdefault(SCORE, {"tried": 0, "right": 0, "streak": 0, "best": 0, "done": {}})


def _record(qid: str, correct: bool) -> None:
    sc = _score()
    if qid in sc["done"]:               # only the first attempt at a question counts
        return
    sc["done"][qid] = correct
    sc["tried"] += 1
    if correct:
        sc["right"] += 1
        sc["streak"] += 1
        sc["best"] = max(sc["best"], sc["streak"])
    else:
        sc["streak"] = 0


def _next_question() -> None:
    st.session_state["q"] = min(int(st.session_state.get("q", 1)) + 1, 999)


def _new_set() -> None:
    st.session_state["set"] = random.randint(1, 9999)
    st.session_state["q"] = 1


ui.page_header("✍️ Practice",
               "Drills for every module with fresh numbers each time, marked by the computer algebra "
               "system: type an expression or a number, and any correct form counts "
               "(`2x cos(x^2)` and `cos(x**2)*2*x` alike). The **set** number is in the link, so a "
               "class can work through the same questions.")

c1, c2, c3, c4 = st.columns([3, 2, 1, 1], vertical_alignment="bottom")
with c1:   # options are the URL values themselves (a bound widget's URL carries the shown label)
    module = ui.select("Module", MODULE_OPTIONS, 0, key="drill")
    st.caption(MODULE_TITLES.get(module, ""))
with c2:
    level_name = ui.select("Difficulty", LEVELS, 1, key="level", widget=st.radio, horizontal=True)
with c3:
    seed = ui.number("Set", 1, key="set", min_value=0, max_value=9999, step=1,
                     help="The question set: share the link (or this number) so everyone gets the same questions.")
with c4:
    number = ui.number("Question", 1, key="q", min_value=1, max_value=999, step=1)
module = module if module in MODULE_TITLES else "derivatives"
level = LEVELS.index(level_name) + 1 if level_name in LEVELS else 2
seed, number = int(seed if seed is not None else 1), int(number or 1)


@st.fragment
def drill() -> None:
    q = question(module, level, seed, number)
    qkey = f"{module}-{level}-{seed}-{number}"
    sc = _score()
    scoreboard = st.empty()         # filled at the end, after this run's answer is recorded

    with st.container(border=True):
        st.markdown(f"**{number}.** {q.prompt}")
        st.latex(q.latex)
        if q.points:
            ui.chart(P.points_figure(q), key="practice_points")
            ui.notice("five points only: the least-squares line passes through their mean point (x̄, ȳ).")
        with st.form(key=f"form_{qkey}", border=False):
            cols = st.columns(len(q.parts))
            answers = []
            for i, (col, part) in enumerate(zip(cols, q.parts)):
                with col:
                    answers.append(st.text_input(
                        part.label, key=f"ans_{qkey}_{i}", max_chars=300,
                        help=P.NUMBER_HINT if part.kind == "number" else P.ANSWER_HINT,
                        placeholder="a number" if part.kind == "number" else
                        "an expression in " + ", ".join(part.variables)))
            b1, b2 = st.columns(2)
            check = b1.form_submit_button("✔️ Check", type="primary", width="stretch")
            reveal = b2.form_submit_button("💡 Show the solution", width="stretch")

    shown = st.session_state.setdefault("_practice_shown", {})
    if check:
        if not any(a.strip() for a in answers):
            st.warning("Type an answer first (or press **Show the solution**).", icon="✏️")
        else:
            fb = marked(module, level, seed, number, tuple(answers))
            if not fb.unreadable:
                _record(qkey, fb.correct)
            shown[qkey] = ("checked", fb)
    if reveal:
        _record(qkey, False)
        shown[qkey] = ("revealed", None)

    with scoreboard.container():
        s1, s2, s3, s4 = st.columns(4)
        s1.metric("Score", f"{sc['right']} / {sc['tried']}")
        s2.metric("Streak", f"🔥 {sc['streak']}" if sc["streak"] >= 3 else sc["streak"])
        s3.metric("Best streak", sc["best"])
        s4.metric("Question", f"{number} · {q.kind}")
    state = shown.get(qkey)
    if state is None:
        return
    kind, fb = state
    if kind == "checked" and fb is not None:
        if fb.unreadable:
            for part, res in zip(q.parts, fb.parts):
                if res.error:
                    st.error(f"**Cannot read the answer for {part.label.rstrip(' =')}:** {res.error}", icon="⚠️")
            return
        if fb.correct:
            st.success("**Right!** " + ("That is the answer." if sc["streak"] < 3 else
                                        f"{sc['streak']} in a row."), icon="✅")
        else:
            wrong = [p.label.rstrip(" =") for p, r in zip(q.parts, fb.parts) if not r.correct]
            st.error(f"**Not quite** ({', '.join(wrong)}). Compare with the worked solution below.", icon="❌")
            if fb.mistake is not None:
                st.warning(f"**This looks like {fb.mistake.name}.** {fb.mistake.explanation}", icon="🔎")
    with st.expander("📝 Worked solution", expanded=True):
        for i, step in enumerate(q.steps, 1):
            st.markdown(f"**{i}. {step.rule}**")
            st.latex(step.latex)
        st.markdown("**Answer**")
        st.latex(r",\qquad ".join(f"\\text{{{_label_tex(p.label)}}}\\ {p.latex}" for p in q.parts))
    st.button("Next question ▶", on_click=_next_question, type="primary", key=f"next_{qkey}")


def _label_tex(label: str) -> str:
    # labels are our own short texts (e.g. "f′(x) =", "slope m ="); keep them literal in \text{}
    return "".join(ch for ch in label if ch not in "{}\\$^_%&#~")


drill()
st.button("🎲 New set of questions", on_click=_new_set, help="A new random set number (shown above, and in the link).")
