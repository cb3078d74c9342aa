"""Label Studio JSON: a list of tasks for a text-labelling project.

Reading takes ``data.text`` and the regions of every annotation and every
prediction (``type: labels``; a region with two labels becomes two spans) and
their ``relation`` results. Each annotation goes into its own layer, named by
``completed_by``'s email or username, else ``label-studio-user-N`` (the
standard export gives only the user's number), else ``label-studio``; a
cancelled (skipped) annotation keeps its spans and gives its layer the status
``skipped``. Predictions go into ``suggest:MODEL_VERSION``; the standard
export lists them by number only, which is accepted (there is nothing to
read). ``choices``, ``textarea``, ``rating`` and ``taxonomy`` results are
kept in the document's metadata under ``label_studio``; tasks of other kinds
(images, audio, HTML) are refused.
Each region's ``value.text`` is checked against the text; offsets are code
points, or UTF-16 units where only those match the region's own text
(``offsets`` forces either).

Writing gives each person's layer (and gold) one annotation holding its spans
and relations, whatever its status (skipped ones marked ``was_cancelled``; the
status itself in ``annotator_status``, which Label Studio ignores and our import
reads), and each suggestion layer one prediction. The labelling config to
paste into Label Studio is in docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from annotator.core.errors import InputError
from annotator.core.exporting import atomic_output
from annotator.core.formats import Format, WriteReport, register
from annotator.core.formats._common import (
    check_offsets_option,
    iter_json_array,
    label_name,
    resolve_offsets,
    to_utf16,
)
from annotator.core.incoming import NewDocument
from annotator.core.layers import is_suggestion, suggestion_layer
from annotator.core.model import STATUSES
from annotator.core.project import Project

_KEPT = ("choices", "textarea", "rating", "taxonomy", "number", "datetime")


def read(path: Path, *, offsets: str | None = None, **_options: object) -> Iterator[NewDocument]:
    path = Path(path)
    check_offsets_option(offsets)
    for number, task in iter_json_array(path):
        yield _document(path, number, task, offsets)


def _document(path: Path, number: int, task: Any, offsets: str | None) -> NewDocument:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise InputError(path, 'expected a Label Studio task with "data"', number)
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str) or not text:
        kinds = ", ".join(sorted(k for k, v in data.items() if isinstance(v, str))) or "none"
        raise InputError(
            path, f'task has no "data.text" (it holds {kinds}): not a text-labelling task', number
        )
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    kept: dict[str, Any] = {}
    statuses: dict[str, str] = {}
    groups = [("annotation", a) for a in task.get("annotations") or []]
    # The standard export lists predictions by number: nothing to read there.
    groups += [("prediction", p) for p in task.get("predictions") or [] if not isinstance(p, int)]
    for g, (kind, group) in enumerate(groups):
        if not isinstance(group, dict) or not isinstance(group.get("result", []), list):
            raise InputError(path, f'each {kind} needs a "result" list', number)
        who = _who(kind, group)
        if kind == "annotation":
            status = group.get("annotator_status")
            if status not in STATUSES:
                status = "skipped" if group.get("was_cancelled") else "done"
            if statuses.get(who) != "done":
                statuses[who] = status
        regions: dict[Any, list[str]] = {}
        for result in group.get("result") or []:
            rtype = result.get("type") if isinstance(result, dict) else None
            if rtype == "labels":
                regions[result.get("id")] = _spans(
                    path, number, text, result, offsets, who, g, spans
                )
            elif rtype in _KEPT:
                kept.setdefault(str(result.get("from_name") or rtype), result.get("value"))
            elif rtype != "relation":
                raise InputError(
                    path,
                    f"holds {rtype or 'unknown'!r} results: only text spans (labels) can be "
                    "imported, so this is not a text-labelling export",
                    number,
                )
        for result in group.get("result") or []:
            if result.get("type") != "relation":
                continue
            heads, childs = regions.get(result.get("from_id")), regions.get(result.get("to_id"))
            if not heads or not childs:
                raise InputError(path, "a relation links regions the task does not have", number)
            names = [str(x) for x in result.get("labels") or []] or [""]
            if result.get("direction") == "left":
                heads, childs = childs, heads
            relations += [
                {"head": h, "child": c, "label": n, "annotator": who}
                for n in names
                for h in heads[:1]
                for c in childs[:1]
            ]
    meta = {k: v for k, v in data.items() if k not in ("text", "meta")}
    if isinstance(data.get("meta"), dict):
        meta.update(data["meta"])
    if isinstance(task.get("meta"), dict):
        meta.update(task["meta"])
    if kept:
        meta["label_studio"] = kept
    return NewDocument(
        text=text,
        name=str(data.get("name") or meta.get("title") or ""),
        meta=meta,
        status="done" if "done" in statuses.values() else "todo",
        spans=spans,
        relations=relations,
        source=f"{path}, line {number}",
        statuses=statuses,
    )


def _who(kind: str, group: dict[str, Any]) -> str:
    """The layer a group's spans go into."""
    if kind == "prediction":
        return suggestion_layer(str(group.get("model_version") or "label-studio"))
    person = group.get("completed_by")
    if isinstance(person, dict):
        name = person.get("email") or person.get("username")
        if isinstance(name, str) and name.strip():
            return name.strip()
        person = person.get("id")
    if isinstance(person, int) and not isinstance(person, bool):
        return f"label-studio-user-{person}"
    if isinstance(person, str) and person.strip():
        return person.strip()
    return "label-studio"


def _spans(
    path: Path,
    number: int,
    text: str,
    result: dict[str, Any],
    offsets: str | None,
    who: str,
    group: int,
    spans: list[dict[str, Any]],
) -> list[str]:
    value = result.get("value")
    if not isinstance(value, dict):
        raise InputError(path, 'a "labels" result needs a "value"', number)
    what = f"region {result.get('id')!r}"
    expected = value.get("text") if isinstance(value.get("text"), str) else None
    start, end = _place(path, number, text, value, offsets, expected, what)
    names = value.get("labels")
    if not isinstance(names, list) or not names:
        raise InputError(path, f"{what} has no labels", number)
    note = result.get("meta", {}).get("text") if isinstance(result.get("meta"), dict) else None
    ids = []
    for name in names:
        span_id = f"{group}:{result.get('id')}:{name}"
        span = {
            "id": span_id,
            "start": start,
            "end": end,
            "label": label_name(name, path, number, what),
        }
        span["annotator"] = who
        if isinstance(note, list) and note:
            span["note"] = "\n".join(str(x) for x in note)
        spans.append(span)
        ids.append(span_id)
    return ids


def _place(
    path: Path,
    number: int,
    text: str,
    value: dict[str, Any],
    offsets: str | None,
    expected: str | None,
    what: str,
) -> tuple[int, int]:
    """Code points unless told otherwise; with no ``offsets`` given and the region's
    text to check against, UTF-16 offsets are taken where only they match it."""
    start, end = value.get("start"), value.get("end")
    if offsets is None and expected is not None:
        try:
            return resolve_offsets(
                text,
                start,
                end,
                offsets="codepoints",
                expected=expected,
                path=path,
                line=number,
                what=what,
            )
        except InputError:
            try:
                return resolve_offsets(
                    text,
                    start,
                    end,
                    offsets="utf16",
                    expected=expected,
                    path=path,
                    line=number,
                    what=what,
                )
            except InputError:
                pass
    return resolve_offsets(
        text, start, end, offsets=offsets, expected=expected, path=path, line=number, what=what
    )


def write(
    project: Project,
    output: str | Path,
    *,
    status: str | None = None,
    labels: Sequence[str] | None = None,
    layers: Sequence[str] | None = None,
    offsets: str | None = None,
    **_options: object,
) -> WriteReport:
    check_offsets_option(offsets)
    report = WriteReport()
    # People's layers become annotations and suggestion layers predictions: both
    # go out unless the layers are named.
    chosen = list(layers) if layers else project.layers()
    with atomic_output(output) as stream:
        stream.write(b"[\n")
        for document, spans, relations in project.iter_annotated(
            status=status, labels=labels, layers=chosen
        ):
            if report.documents:
                stream.write(b",\n")
            statuses = project.statuses(document.id)
            stream.write(orjson.dumps(task(document, spans, relations, statuses, offsets, report)))
            report.documents += 1
        stream.write(b"\n]\n")
    return report


def task(
    document: Any,
    spans: Sequence[Any],
    relations: Sequence[Any],
    statuses: dict[str, str],
    offsets: str | None,
    report: WriteReport,
) -> dict[str, Any]:
    """One Label Studio task: an annotation per person's layer, a prediction per
    suggestion layer."""
    by_layer: dict[str, list[dict[str, Any]]] = {}
    layer_of: dict[int, str] = {}
    for span in spans:
        start, end = (
            to_utf16(document.text, span.start, span.end)
            if offsets == "utf16"
            else (span.start, span.end)
        )
        region: dict[str, Any] = {
            "id": f"s{span.id}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "prediction" if is_suggestion(span.annotator) else "manual",
            "value": {"start": start, "end": end, "text": span.text, "labels": [span.label]},
        }
        if span.note:
            region["meta"] = {"text": [span.note]}
        by_layer.setdefault(span.annotator, []).append(region)
        layer_of[span.id] = span.annotator
    for rel in relations:
        by_layer.setdefault(layer_of.get(rel.head, ""), []).append(
            {
                "from_id": f"s{rel.head}",
                "to_id": f"s{rel.child}",
                "type": "relation",
                "direction": "right",
                "labels": [rel.label] if rel.label else [],
            }
        )
    out: dict[str, Any] = {
        "id": document.id,
        "data": {"text": document.text, "name": document.name, "meta": document.meta},
        "annotations": [],
    }
    people = [layer for layer in statuses if not is_suggestion(layer)]
    people += [layer for layer in by_layer if layer not in people and not is_suggestion(layer)]
    for layer in people:
        layer_status = statuses.get(layer, "todo")
        key = "email" if "@" in layer else "username"
        out["annotations"].append(
            {
                "completed_by": {key: layer},
                "result": by_layer.get(layer, []),
                "was_cancelled": layer_status == "skipped",
                "ground_truth": layer == "gold",
                "annotator_status": layer_status,
            }
        )
    predictions = [
        {"model_version": layer.removeprefix("suggest:"), "result": result}
        for layer, result in by_layer.items()
        if is_suggestion(layer)
    ]
    if predictions:
        out["predictions"] = predictions
    report.spans += len(spans)
    report.relations += len(relations)
    return out


FORMAT = register(
    Format(
        name="label-studio",
        title="Label Studio JSON",
        extensions=(".json",),
        read=read,
        write=write,
        keeps="text, metadata, status per annotator, spans (nested too) with their annotators"
        " (an annotation each) and suggestions (predictions), relations, notes (region meta)",
        loses="image, audio and HTML tasks are refused",
        options=("offsets",),
        keeps_annotators=True,
    )
)
