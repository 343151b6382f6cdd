"""Areas of the app whose strings are not translated yet; their i18n checks are expected to fail (strict xfail).

Whoever translates an area deletes its line: the checks then must pass. (One line per area, a blank line
between them, so people finishing different areas do not edit neighbouring lines.)
"""

PENDING: set[str] = set()

#: areas whose strings every page shows (the sidebar's model picker labels are ``model_access``'s), and areas whose
#: strings a page of another area shows: a page reads in Chinese only when these are translated too
SIDEBAR_AREAS: set[str] = {"models"}
SHOWN_ON: dict[str, set[str]] = {"pages/2_Train.py": {"beyond"}}  # the Train page's input note (beyond_view)
