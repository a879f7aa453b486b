"""Reports for people: the public notice (公示) each village posts, and progress against the
plan's targets, as pages, workbooks and charts (issue 14).

A layer above ``collection`` (payments): reports read the roster, the assessments and who paid,
and never change any of them.
"""
