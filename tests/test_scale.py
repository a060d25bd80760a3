"""What keeps a large site small and portable: compact pages, and a generated folder other engines can read."""

from __future__ import annotations

from factcheck.mkdocs_hook import on_post_page


def test_pages_lose_their_indentation_but_not_their_text_or_preformatted_text():
    page = "<p>\n a <b>b</b>\n  <i>c</i></p>\n<pre>  x\n    y</pre>\n   <textarea>\n  t</textarea>\n\n  <PRE>\n z</PRE>"
    kept = "<p>\na <b>b</b>\n<i>c</i></p>\n<pre>  x\n    y</pre>\n<textarea>\n  t</textarea>\n<PRE>\n z</PRE>"
    assert on_post_page(page) == kept
