"""Who must do what by when: the assignments in the store, filtered by body, document, chain and date.

Body names match ignoring case, diacritics and tone placement (``ban dan van`` finds "Ban Dân vận Tỉnh
ủy Hà Tĩnh"); a body matches as lead or as coordinator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from rdflib import URIRef

from .textfold import search_key

_TASKS = """
SELECT ?task ?doc ?document ?symbol ?file ?lead ?leadNames ?coordinators ?coordinatorNames ?text ?deadline
       ?deadlineText ?recurrence ?reportTo ?kind
WHERE {
  { SELECT ?task ?doc (GROUP_CONCAT(DISTINCT ?cl; separator="; ") AS ?coordinators)
           (GROUP_CONCAT(DISTINCT ?cn; separator="|") AS ?coordinatorNames)
           (GROUP_CONCAT(DISTINCT ?ln; separator="|") AS ?leadNames)
    WHERE { %(docs)s ?task a dg:Assignment ; dg:lead ?l . ?l skos:prefLabel ?ll . OPTIONAL { ?l dg:nameAsWritten ?ln }
            OPTIONAL { ?task dg:coordinator ?c . ?c skos:prefLabel ?cl . OPTIONAL { ?c dg:nameAsWritten ?cn } } }
    GROUP BY ?task ?doc }
  %(required)s
  OPTIONAL { ?doc dg:symbol ?symbol }
  OPTIONAL { ?doc dg:sourceFile ?file }
  OPTIONAL { ?task dg:deadline ?deadline }
  OPTIONAL { ?task dg:deadlineText ?deadlineText }
  OPTIONAL { ?task dg:recurrence ?recurrence }
  OPTIONAL { ?task dg:reportTo/skos:prefLabel ?reportTo }
}
ORDER BY ?document ?task
"""
# What the shapes require of every task and document. For some documents' tasks these are looked up task by
# task (OPTIONAL, the same rows on a valid store): required joins after the subquery make Oxigraph scan every
# task in the store (234 s -> 0.7 s for a chain of 149 documents at 100k). For all tasks, joins are quicker.
_REQUIRED = ("?task dg:lead/skos:prefLabel ?lead", "?task dg:task ?text", "?task dg:assignmentKind ?kind",
             "?doc rdfs:label ?document")
_CHAIN = ("SELECT DISTINCT ?doc WHERE { { BIND(?root AS ?doc) } UNION { ?doc dg:buildsOn+ ?root } "
          "?doc a dg:Document }")


@dataclass
class Task:
    task: str
    document: str
    symbol: str | None
    source_file: str | None
    lead: str
    coordinators: str
    text: str
    deadline: str | None
    deadline_text: str | None
    recurrence: str | None
    report_to: str | None
    kind: str
    _doc: str = ""
    _names: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


def _s(v: object) -> str | None:
    return None if v is None else str(v)


def list_tasks(store: Any, *, body: str | None = None, document: URIRef | None = None,
               chain: URIRef | None = None, due_before: str | None = None, overdue_as_of: str | None = None
               ) -> list[Task]:
    """Tasks in the store matching every filter given. With a document or a chain, only their documents'
    tasks are read (looked up document by document, not filtered out of every task in the store)."""
    docs: set[str] | None = None
    if document is not None:
        docs = {str(document)}
    if chain is not None:
        found = {str(r[0]) for r in store.query(_CHAIN, {"root": chain}).rows}
        docs = found if docs is None else docs & found
    if docs is not None:
        if not docs:
            return []
        values = " ".join(URIRef(d).n3() for d in sorted(docs))
        only = f"VALUES ?doc {{ {values} }} ?task ?by ?doc FILTER(?by = dg:assignedBy)"  # a lookup per document
        required = " ".join(f"OPTIONAL {{ {t} }}" for t in _REQUIRED)
    else:
        only, required = "?task dg:assignedBy ?doc .", " . ".join(_REQUIRED) + " ."
    rows = store.query(_TASKS % {"docs": only, "required": required}).rows
    tasks = [
        Task(task=str(r[0]), _doc=str(r[1]), document=str(r[2]), symbol=_s(r[3]), source_file=_s(r[4]),
             lead=str(r[5]), _names="|".join(filter(None, (str(r[5]), _s(r[6]), _s(r[7]), _s(r[8])))),
             coordinators=str(r[7] or ""), text=str(r[9]), deadline=_s(r[10]), deadline_text=_s(r[11]),
             recurrence=_s(r[12]), report_to=_s(r[13]), kind=str(r[14]))
        for r in rows
    ]
    if body:
        key = search_key(body)
        tasks = [t for t in tasks if key in search_key(t._names.replace("|", " | "))]
    if due_before:
        tasks = [t for t in tasks if t.deadline and t.deadline < due_before]
    if overdue_as_of:
        tasks = [t for t in tasks if t.deadline and t.deadline < overdue_as_of]
    return tasks


def today() -> str:
    return dt.date.today().isoformat()
