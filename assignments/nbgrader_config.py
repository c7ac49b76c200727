"""nbgrader settings for the casekit course (run nbgrader from this folder)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it reads this file

c.CourseDirectory.course_id = "casekit-crm"
# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Generating each student's case and fitting models takes a few seconds a cell.
c.ExecutePreprocessor.timeout = 300
