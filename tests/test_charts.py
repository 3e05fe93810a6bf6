"""charts' own escaping must write exactly what markupsafe.escape writes."""

from __future__ import annotations

from markupsafe import Markup, escape

from datasette_framing import charts

AWKWARD = [
    "",
    "plain",
    "Tom & Jerry",
    "&amp; already",
    "<script>alert('x')</script>",
    'say "hi" > \'there\' <',
    "ünïcode · — … &#39;",
    "&&<<>>''\"\"",
]


def test_escape_matches_markupsafe() -> None:
    for text in AWKWARD:
        assert charts._escape(text) == str(escape(text))


def test_el_escapes_children_and_attributes_but_keeps_markup() -> None:
    inner = Markup("<b>kept</b>")
    out = charts.el("g", {"data-series": 'a"<b>&', "x": 1.5, "n": 3, "skip": None, "off": False}, "x < y & 'z'", inner, None)
    assert isinstance(out, Markup)
    assert out == (
        '<g data-series="a&#34;&lt;b&gt;&amp;" x="1.50" n="3">'
        "x &lt; y &amp; &#39;z&#39;<b>kept</b></g>"
    )
    assert charts.el("title") == Markup("<title></title>")


def test_every_chart_escapes_labels() -> None:
    evil = "<i>&'\""
    values = {(evil, "s"): {"mean": 0.2, "low": 0.1, "high": 0.3, "n": 9, "href": "/x?a=1&b=<2>"}}
    svg = str(charts.diverging_bars(evil, [evil], ["s"], values, min_count=5))
    assert "<i>" not in svg and "&lt;i&gt;&amp;&#39;&#34;" in svg
    assert 'href="/x?a=1&amp;b=&lt;2&gt;"' in svg
    bars = str(charts.grouped_bars(evil, [evil], ["s"], {(evil, "s"): {"value": 0.5, "n": 4}}, min_count=5))
    assert "<i>" not in bars and "&lt;i&gt;" in bars
    shares = str(charts.stacked_shares(evil, [evil], ["c"], {evil: {"c": 3}}))
    assert "<i>" not in shares and "&lt;i&gt;" in shares


def test_hot_marks_write_what_el_writes() -> None:
    """The bars, links and labels written as one string each must equal el() of the same
    attributes in the same order, for awkward labels and every number type they meet."""
    for text in AWKWARD:
        for too_few in (False, True):
            for x in (150, 150.0, 12.345):
                fill = "#0072B2"
                expected = charts.el(
                    "rect",
                    {
                        "class": "framing-mark" + (" framing-too-few" if too_few else ""),
                        "data-series": text,
                        "data-group": text + "g",
                        "data-value": "0.1234",
                        "x": x,
                        "y": 7.5,
                        "width": 3,
                        "height": charts.BAR_H,
                        "fill": fill,
                        "fill-opacity": 0.35 if too_few else 1,
                        "stroke": fill if too_few else None,
                        "stroke-dasharray": "3 2" if too_few else None,
                    },
                    charts.el("title", {}, text + "tip"),
                )
                assert charts._bar(text, text + "g", "0.1234", x, 7.5, 3, fill, too_few, text + "tip") == expected
            body = Markup("<b>bar</b>")
            for cls in (None, "framing-mark-link"):
                link = charts.el("a", {"href": "/s?a=1&b=" + text, "class": cls, "aria-label": text}, body)
                assert charts._link("/s?a=1&b=" + text, text, str(body), cls) == link
        label = charts.el("text", {"class": "framing-group-label", "x": charts.LABEL_W - 8, "y": 10, "text-anchor": "end"}, charts._short(text), charts.el("title", {}, text))
        assert charts._group_label(text, 10) == label
        value = charts.el("text", {"class": "framing-value", "x": 1.0, "y": 2, "text-anchor": "end"}, text)
        assert charts._value_label(1.0, 2, text, "end") == value
