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


def test_regression_bands_and_report_download(page, app_url, tmp_path):
    """Issue 21 in a browser: upload a CSV, fit it on the nonlinear tab, see the bands drawn on the
    fit, download the HTML and Markdown reports and read them back."""
    from html.parser import HTMLParser
    from urllib.parse import quote

    page.goto(app_url + "regression?view=" + quote("Nonlinear models and your own") + "&data=" + quote("Upload a CSV"))
    wait_for_app(page)
    csv = tmp_path / "decay.csv"
    csv.write_text("t,counts\n" + "\n".join(f"{t},{1000 * 0.97 ** t + (7 if t % 2 else -7):.2f}" for t in range(0, 60, 2)))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(csv))
    page.get_by_text("Loaded decay.csv").wait_for()
    page.get_by_text("Exponential", exact=True).click()
    wait_for_app(page)
    page.get_by_text("Converged").first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    # the fit's chart, drawn by plotly in the page: both bands, each as two dashed/dotted lines
    names = page.evaluate("""() => { const gd = document.querySelector('.st-key-p3d-model_plot .js-plotly-plot');
                                     return gd.data.map(t => [t.name, t.legendgroup || '', (t.line || {}).dash || '']); }""")
    bands = [n for n in names if n[1] in ("confidence", "prediction")]
    assert len(bands) == 4 and {b[2] for b in bands} == {"dash", "dot"}, names
    assert any(n[0].startswith("95 % confidence band") for n in bands)
    legend = page.evaluate("() => document.querySelector('.st-key-p3d-model_plot .legend').textContent")
    assert "prediction band" in legend and "confidence band" in legend, "the legend says which is which"

    with page.expect_download(timeout=120_000) as got:
        page.get_by_role("button", name="Report (HTML)").click()
    path = tmp_path / "report.html"
    got.value.save_as(path)
    assert got.value.suggested_filename == "fit_report.html"

    class Read(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text, self.images = [], []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.images.append(dict(attrs))

        def handle_data(self, data):
            self.text.append(data)
    doc = Read()
    doc.feed(path.read_text())
    text = " ".join(doc.text)
    assert "Fit report: Exponential" in text and "A*exp(k*x)" in text and "decay.csv" in text
    assert "AICc" in text and "95 % confidence band" in text
    if doc.images:       # the image exporter worked on this server: the chart is in the report
        assert doc.images[0]["src"].startswith("data:image/png;base64,")
    else:
        assert "The chart could not be included" in text
    # open the report in the browser too: it renders, with its tables
    page.goto(path.as_uri())
    assert page.locator("table").count() >= 3 and page.locator("h1").inner_text() == "Fit report: Exponential"
