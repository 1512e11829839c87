"""The Regression page in a real browser: it draws, uploads a CSV with set_input_files and fits it."""
from helpers import wait_for_app


def test_regression_upload_and_fit(page, app_url, tmp_path):
    page.goto(app_url + "regression?data=Upload+a+CSV")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stFileUploader"]')
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2")   # the open tab's charts
    assert "5 MB" in page.locator('[data-testid="stFileUploader"]').inner_text()

    csv = tmp_path / "mine.csv"
    csv.write_text("t;v\n" + "\n".join(f"{i};{3 * i - 2},5" for i in range(1, 30)) + "\n30;NA\n")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Loaded mine.csv").wait_for()
    wait_for_app(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "1 row with missing or non-numeric values was dropped" in body
    assert page.locator('[data-testid="stException"]').count() == 0
    # the fitted slope, first cell of the results table's value row
    slope = page.locator('[data-testid="stMain"] table').filter(has_text="reduced").locator("tbody td").first.inner_text()
    assert slope.startswith("3 ±") or slope.startswith("3.0"), slope
    # the charts hold the uploaded points (29 of them), drawn by plotly in the page
    n_points = page.evaluate("""() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];
                                        return gd.calcdata[0].length; }""")
    assert n_points == 29
    # the other tab: the library fit of the uploaded data, and the tab is in the link
    page.get_by_role("tab", name="Nonlinear models and your own").click()
    page.get_by_text("Converged").first.wait_for()
    wait_for_app(page)
    assert "view=Nonlinear" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0

    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    page.get_by_text("cannot be used").wait_for()
    wait_for_app(page)
    assert "Still using the data loaded before" in page.locator('[data-testid="stMain"]').inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(tmp_path / "regression.png"), full_page=True)
