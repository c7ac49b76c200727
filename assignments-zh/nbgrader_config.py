"""nbgrader settings of the Chinese edition (made by scripts/translate.py from ../assignments/nbgrader_config.py; edit that one)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "casekit-crm-zh"
# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# The notebooks compute; grading happens afterwards, outside them
# (python -m casekit.grading autograde). A notebook that runs longer is stopped.
c.ExecutePreprocessor.timeout = 300
# Feedback never shows a hidden test, should a cell ever hold one.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
