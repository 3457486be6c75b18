"""`ftzlist schema`: JSON Schema of the file formats, for editors and pipelines."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer


class Which(StrEnum):
    list = "list"
    declaration = "declaration"
    decision = "decision"
    vocabulary = "vocabulary"


def register(app: typer.Typer) -> None:
    app.command(name="schema")(schema)


def schema(which: Annotated[Which, typer.Argument(help="Which format.")]) -> None:
    """Print the JSON Schema of a list file, declaration, decision or vocabulary file."""
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import Declaration
    from ftzlist.schema.lists import ListFile
    from ftzlist.schema.vocabulary import VocabularyFile

    model = {
        Which.list: ListFile,
        Which.declaration: Declaration,
        Which.decision: DecisionSet,
        Which.vocabulary: VocabularyFile,
    }[which]
    sys.stdout.write(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
