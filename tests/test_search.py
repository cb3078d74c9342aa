"""Project search places its hits in code points, whatever comes before them."""

from __future__ import annotations

import pytest

from annotator.core import Project
from annotator.core.search import SearchError, search_project


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("putin", "Putin"),
        ("Put*", "Putin"),
        ('"Vladimir Putin"', "Vladimir\u00a0Putin"),
        ("Vladimir Putin", "Vladimir\u00a0Putin"),
        ("Moskva OR Putin", "Putin"),
    ],
)
def test_hits_are_code_points_of_the_stored_text(project_path, query, found):
    text = "🇰🇵 Kim 👋🏽 met\r\nVladimir\u00a0Putin in Moskva.\u2029Putin smiled."
    with Project.create(project_path) as project:
        project.add_document(text, name="emoji")
        [hit] = search_project(project, query)
        assert text[hit.start : hit.end] == found
        assert hit.context[hit.hit_start : hit.hit_end] == " ".join(found.split())


def test_a_query_the_index_cannot_read_is_a_search_error(project_path):
    with Project.create(project_path) as project:
        project.add_document("Putin met Kim.", name="a")
        for query in ('"Putin', "Putin OR OR", "Kim AND (Putin"):
            with pytest.raises(SearchError, match="cannot search for"):
                search_project(project, query)
