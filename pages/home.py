"""Course map: every module with a one-line description, its key picture and a link."""
import streamlit as st

import ui
from explorer import course
from explorer.figures import previews


ui.page_header("Calculus Explorer",
               "The multivariate calculus behind machine learning, one module a page. "
               "Move the sliders and watch: every picture says what to notice, every formula sits "
               "next to the picture it explains. Turn on **presenter mode** in the sidebar for a projector.")

cols = st.columns(3)
for i, module in enumerate(course.MODULES):
    preview = getattr(previews, module.url_path.replace("-", "_"))
    with cols[i % 3].container(border=True):
        st.page_link(module.file, label=f"**{module.title}**")
        # a picture of what the page shows: named and described, without a data table
        ui.chart(preview(), key=f"preview_{i}", config={"staticPlot": True, "displaylogo": False},
                 label=f"{module.title}: preview", table=None)
        st.caption(module.blurb)
