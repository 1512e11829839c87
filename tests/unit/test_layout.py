"""Project conventions that keep the code honest."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_explorer_never_imports_streamlit_statically():
    for path in (ROOT / "explorer").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


def test_importing_explorer_does_not_load_streamlit():
    mods = [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for p in (ROOT / "explorer").rglob("*.py")]
    assert len(mods) > 20
    code = "import sys\n" + "".join(f"import {m}\n" for m in mods) + \
        "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_eval_of_user_text_anywhere():
    bad = ("eval(", "exec(", "sympify(", "parse_expr(")
    for path in list((ROOT / "explorer").rglob("*.py")) + list((ROOT / "pages").rglob("*.py")) + \
            list((ROOT / "ui").rglob("*.py")) + [ROOT / "streamlit_app.py"]:
        for name in ast.walk(ast.parse(path.read_text())):
            if isinstance(name, ast.Call):
                fn = name.func
                called = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
                assert called + "(" not in bad, f"{path}: {called}"


def test_requirements_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "==" in line, line


def test_deployment_config():
    import tomllib
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["server"]["enableCORS"] is True and cfg["server"]["enableXsrfProtection"] is True
    assert 1 <= cfg["server"]["maxUploadSize"] <= 10
    assert cfg["server"]["fileWatcherType"] == "none"
    assert cfg["browser"]["gatherUsageStats"] is False


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "    python3 -m pip install -r requirements-test.txt && python3 -m pytest -q" in readme
    assert "streamlit run streamlit_app.py" in readme
    assert "requirements-test.txt" in (ROOT / ".ci" / "run").read_text()


def test_modules_and_pages_stay_small():
    """One concept a module: no module of explorer/ over 400 lines, no page over 300."""
    big = {str(p.relative_to(ROOT)): n for p in (ROOT / "explorer").rglob("*.py")
           if (n := len(p.read_text().splitlines())) > 400}
    assert not big, big
    long_pages = {p.name: n for p in (ROOT / "pages").glob("*.py") if (n := len(p.read_text().splitlines())) > 300}
    assert not long_pages, long_pages


def test_the_page_list_is_written_once():
    """Every page file is named in explorer/course.py and nowhere else in the code."""
    from explorer import course
    files = [p.file for p in course.PAGES]
    assert len(files) == len(set(files)) >= 8 and all((ROOT / f).exists() for f in files)
    assert sorted(p.name for p in (ROOT / "pages").glob("*.py")) == sorted(f.split("/")[1] for f in files)
    for path in [*ROOT.glob("*.py"), *(ROOT / "explorer").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
                 *(ROOT / "pages").rglob("*.py")]:
        if path.name == "course.py":
            continue
        text = path.read_text()
        named = [f for f in files if f'"{f}"' in text]
        assert len(named) < 2, f"{path.relative_to(ROOT)} lists pages again: {named}"
