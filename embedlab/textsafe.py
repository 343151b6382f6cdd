"""User-supplied strings as plain text: escaping for Markdown and for plotly's HTML subset.

Words, item titles, categories, file, corpus and model names are data. Streamlit
renders most strings it shows (``st.markdown``, captions, alerts, toasts, widget
labels and help, button labels, progress text) as GitHub-flavoured Markdown, and
plotly renders hover text, labels, tick labels, legend entries and titles as a
small HTML subset (``<b>``, ``<a href>``, ``<br>``...). Without escaping, a corpus
named ``[click](javascript:alert(4))`` is a link and a word ``![x](https://host/x.png)``
makes the browser fetch an image from another host.

Two pure functions, used at every call that shows such a string:

* ``md(text)`` for anything Streamlit renders as Markdown,
* ``html(text)`` for anything plotly renders as HTML.

Escape the user's string only, at the call (``st.caption(f"Model **{md(name)}**")``),
never the whole message: the app's own Markdown around it stays Markdown.
"""

from __future__ import annotations

import re

#: U+2060 WORD JOINER: invisible, breaks GFM's literal autolinks (``https://``, ``www.``, e-mail
#: addresses), which are found in the text *after* backslash escapes are resolved, so escaping alone
#: cannot stop them
WORD_JOINER = "\u2060"
#: every ASCII punctuation character: CommonMark lets a backslash escape any of them, and escaping all
#: of them also covers Streamlit's own syntax (``:red[...]`` directives, ``$`` maths, ``:material/...:``)
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINKS = (
    (re.compile(r"\\:\\/\\/"), "\\:" + WORD_JOINER + "\\/\\/"),   # scheme://
    (re.compile(r"(www)(\\\.)", re.IGNORECASE), r"\1" + WORD_JOINER + r"\2"),  # www.
    (re.compile(r"\\@"), "\\@" + WORD_JOINER),                      # user@host
)


def md(text: object) -> str:
    r"""``text`` as literal text inside Markdown: no link, image, emphasis, heading, HTML or directive.

    >>> print(md("[click](javascript:alert(4)) **NAME**"))
    \[click\]\(javascript\:alert\(4\)\) \*\*NAME\*\*
    >>> md("café 国王")
    'café 国王'

    Line breaks become spaces: a name is one line, and a blank line would end the paragraph it is in.
    """
    escaped = _ASCII_PUNCTUATION.sub(r"\\\1", str(text).replace("\r", " ").replace("\n", " "))
    for pattern, replacement in _AUTOLINKS:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def html(text: object) -> str:
    """``text`` as literal text in plotly's HTML subset (hover, labels, ticks, legend, titles).

    >>> html('<a href="https://evil.example/">click</a> & <b>B</b>')
    '&lt;a href="https://evil.example/"&gt;click&lt;/a&gt; &amp; &lt;b&gt;B&lt;/b&gt;'

    Plotly decodes ``&lt;``, ``&gt;`` and ``&amp;`` back to the characters when drawing, so the
    user sees exactly what they typed. Line breaks stay plain characters (plotly's line break is ``<br>``).
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_all(texts: object) -> list[str]:
    """``html`` of each string of a sequence (tick labels, point labels, hover texts)."""
    return [html(t) for t in texts]  # type: ignore[union-attr]
