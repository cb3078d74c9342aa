"""The span index the article paints from: same answers as a brute-force scan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.spanindex import LONG, Entry, LayeredIndex, SpanIndex

extents = st.lists(st.tuples(st.integers(0, 3 * LONG), st.integers(1, LONG + 50)), max_size=40)


def build(items: list[tuple[int, int]]) -> SpanIndex:
    return SpanIndex(Entry(i, s, s + n, "L") for i, (s, n) in enumerate(items))


@settings(max_examples=200, deadline=None)
@given(extents, st.integers(0, 3 * LONG), st.integers(1, 3000))
def test_overlapping_matches_brute_force(items, start, length):
    index = build(items)
    expected = sorted(i for i, (s, n) in enumerate(items) if s < start + length and s + n > start)
    assert sorted(e.id for e in index.overlapping(start, start + length)) == expected


@settings(max_examples=200, deadline=None)
@given(extents)
def test_tracks_never_collide_where_spans_overlap(items):
    index = build(items)
    entries = index.entries()
    for a in entries:
        for b in entries:
            if a.id < b.id and a.start < b.end and b.start < a.end:
                assert a.track != b.track


@settings(max_examples=200, deadline=None)
@given(extents, st.data())
def test_update_keeps_index_equal_to_a_fresh_build(items, data):
    index = build(items)
    # A view has looked at part of the document (tracks are given lazily) before the edit.
    looked = data.draw(st.integers(0, 4 * LONG))
    index.overlapping(max(0, looked - 100), looked)
    removed = data.draw(st.lists(st.sampled_from(range(len(items))), max_size=5)) if items else []
    added = [
        Entry(1000 + i, s, s + 3, "M")
        for i, s in enumerate(data.draw(st.lists(st.integers(0, 5000), max_size=4)))
    ]
    region = index.update(removed, added)
    kept = [Entry(i, s, s + n, "L") for i, (s, n) in enumerate(items) if i not in removed]
    fresh = SpanIndex([*kept, *[Entry(e.id, e.start, e.end, e.label) for e in added]])
    assert [(e.id, e.start, e.end, e.track) for e in index.entries()] == [
        (e.id, e.start, e.end, e.track) for e in fresh.entries()
    ]
    if removed or added:
        assert region is not None


def test_nested_spans_stack_and_outer_comes_first():
    index = SpanIndex(
        [
            Entry(1, 0, 50, "QUOTE"),
            Entry(2, 5, 10, "PERSON"),
            Entry(3, 12, 20, "HEDGE"),
            Entry(4, 6, 9, "PLACE"),
        ]
    )
    tracks = {e.id: e.track for e in index.entries()}
    assert tracks == {1: 0, 2: 1, 3: 1, 4: 2}
    assert [e.id for e in index.at(7)] == [1, 2, 4]
    assert index.next_after(5).id == 4
    assert index.next_after(5, backwards=True).id == 1


@settings(max_examples=100, deadline=None)
@given(extents, st.integers(0, 3 * LONG))
def test_spans_given_in_reading_order_need_no_sort(items, position):
    shuffled = build(items)
    ordered = SpanIndex(shuffled.items(), presorted=True)
    assert [(e.id, e.track) for e in ordered.entries()] == [
        (e.id, e.track) for e in shuffled.entries()
    ]
    assert [e.id for e in ordered.at(position)] == [e.id for e in shuffled.at(position)]


def test_stepping_through_spans_in_reading_order():
    index = SpanIndex(
        [Entry(1, 0, 50, "Q"), Entry(2, 5, 10, "P"), Entry(3, 5, 10, "H")], {"P": 0, "H": 1}
    )
    assert [e.id for e in index.entries()] == [1, 2, 3]
    assert index.neighbour(2).id == 3
    assert index.neighbour(2, backwards=True).id == 1
    assert index.neighbour(3) is None
    assert index.neighbour(99) is None


def test_a_span_longer_than_a_screen_is_found_far_from_its_start():
    index = SpanIndex([Entry(1, 0, 10 * LONG, "QUOTE"), Entry(2, 9 * LONG, 9 * LONG + 5, "PERSON")])
    assert [(e.id, e.track) for e in index.at(9 * LONG + 1)] == [(1, 0), (2, 1)]
    index.update([1], [])
    assert [(e.id, e.track) for e in index.at(9 * LONG + 1)] == [(2, 0)]


@settings(max_examples=100, deadline=None)
@given(extents, extents, st.integers(0, 3 * LONG), st.integers(1, 3000))
def test_layers_kept_apart_answer_as_one_scan_and_say_whose(olga, maria, start, length):
    """Two layers' spans, each indexed on its own, give what a scan of both gives."""
    layers = LayeredIndex(
        [
            ("olga", SpanIndex(Entry(i, s, s + n, "L") for i, (s, n) in enumerate(olga))),
            ("maria", SpanIndex(Entry(1000 + i, s, s + n, "L") for i, (s, n) in enumerate(maria))),
        ]
    )
    both = [(i, s, n) for i, (s, n) in enumerate(olga)]
    both += [(1000 + i, s, n) for i, (s, n) in enumerate(maria)]
    end = start + length
    expected = sorted(i for i, s, n in both if s < end and s + n > start)
    assert sorted(e.id for e in layers.overlapping(start, end)) == expected
    assert len(layers) == len(both)
    for span_id, _, _ in both:
        assert layers.layer_of(span_id) == ("olga" if span_id < 1000 else "maria")
    assert layers.layer_of(5000) is None and 5000 not in layers


def test_agreeing_layers_underline_on_lanes_of_their_own():
    olga = SpanIndex([Entry(1, 0, 5, "L")])
    maria = SpanIndex([Entry(2, 0, 5, "L")])
    entries = LayeredIndex([("olga", olga), ("maria", maria)]).at(2)
    assert [(e.id, e.track) for e in entries] == [(1, 0), (2, 1)]
