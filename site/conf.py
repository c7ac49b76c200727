"""Sphinx configuration for the static copy of the course (`make site`).

The source directory is the repository root, so that the notebooks are read where they live
in ``notebooks/``; this file and the landing page sit in ``site/``. Build with::

    sphinx-build -W --keep-going -b html -c site . site/_build/html

Nothing is executed and nothing is downloaded: the notebooks are rendered with the outputs
stored in them, and the theme is Sphinx's bundled alabaster.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

project = "casekit"
author = "the casekit authors"
copyright = "the casekit authors"
html_title = "casekit: a CRM course workbook"

# sphinx_togglebutton ships its own script and style (nothing fetched); myst-nb folds each
# exercise solution (cell tag hide-cell) into a closed "show solution" toggle.
extensions = ["myst_nb", "sphinx_togglebutton"]

root_doc = "site/index"
# Both editions: the English notebooks and the Chinese ones (notebooks-zh/, whatever it
# holds), each with its landing page (site/index.md, site/index-zh.md).
include_patterns = [
    "site/index.md", "notebooks/**.ipynb", "notebooks/readings.md", "notebooks/syllabus.md",
    "notebooks/glossary.md", "site/index-zh.md", "notebooks-zh/**.ipynb", "notebooks-zh/**.md",
]
# Sphinx walks the whole source directory before filtering, so prune every top-level
# entry that holds no page (.venv alone has tens of thousands of files).
exclude_patterns = sorted(
    entry.name for entry in ROOT.iterdir()
    if entry.name not in {"site", "notebooks", "notebooks-zh"}
) + ["site/_build", "**/.ipynb_checkpoints"]


def _pages(folder: str) -> list[str]:
    """The page names (docnames) of the notebooks and documents under ``folder``."""
    base = ROOT / folder
    if not base.is_dir():
        return []
    return sorted(
        f"{folder}/{path.relative_to(base).with_suffix('').as_posix()}"
        for path in base.rglob("*")
        if path.suffix in (".ipynb", ".md") and ".ipynb_checkpoints" not in path.parts
    )


# The language switch on every page (site/_templates/page.html) links the same page in the
# other language, or that language's landing page when the page has no translation.
html_context = {
    "english_pages": _pages("notebooks"),
    "chinese_pages": _pages("notebooks-zh"),
}

if not html_context["chinese_pages"]:  # a tree without the Chinese edition: no switch
    include_patterns.remove("site/index-zh.md")

templates_path = ["_templates"]
# The landing page lives at site/index.html; this puts a redirect to it at the top.
html_extra_path = ["root"]
html_theme = "alabaster"
html_show_sourcelink = False
html_copy_source = False

# Render the outputs stored in the notebooks; never run a kernel.
nb_execution_mode = "off"
# Without a kernel a widget is only a placeholder. Its saved state is not kept in the
# notebooks, so show the widget's text form, and never load widget JavaScript from a CDN.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}
