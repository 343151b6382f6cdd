"""Areas of the app whose strings are not translated yet; their i18n checks are expected to fail (strict xfail).

Whoever translates an area deletes its line: the checks then must pass. (One line per area, a blank line
between them, so people finishing different areas do not edit neighbouring lines.)
"""

PENDING: set[str] = set()

PENDING.add("core")

PENDING.add("models")

PENDING.add("explore")

PENDING.add("compare")

PENDING.add("learn")

PENDING.add("network")

PENDING.add("beyond")
