"""The seed documents, read as text: the plans the fixtures transcribe.

The checks in this folder read ``../shared/seeds/`` (or ``SALKKU_SEEDS``) and are a step of their own,
marked ``seeds``: ``bin/test`` leaves them out, so a fresh clone without the documents passes whole, and
``bin/test -m seeds`` runs them (``.ci/run`` does, where the documents are).
"""

import os
import re
from functools import cache
from pathlib import Path

import yaml

from popsote.seed import read_fixtures

SEEDS = Path(os.environ.get("SALKKU_SEEDS") or Path(__file__).resolve().parents[3] / "shared" / "seeds")


@cache
def files():
    """``{document key: seed file name}`` as the fixtures' ``documents`` give them."""
    return {row["key"]: row["file"] for _name, data in read_fixtures() for row in data.get("documents") or []}


@cache
def raw(key):
    return (SEEDS / files()[key]).read_text(encoding="utf-8")


def squeeze(text):
    """A text as the checks compare it: one PDF line-break hyphenation, markdown marks and spacing aside."""
    text = text.replace(" ([linkki](#))", "").replace("**", "").replace("](#)", "").replace("[", "")
    text = text.replace("\\(", "(").replace("\\)", ")")
    text = re.sub(r"(\S)-[ \t]*\n\s*(\S)", r"\1\2", text)  # "sisäl-⏎lyttäminen" is one word
    text = re.sub(r"[\u00ad\-–]", "", text)  # "loka-joulukuu" and the slide's "loka-⏎joulukuu" alike
    return re.sub(r"[\s•➢]+", " ", text).strip().lower()


@cache
def document(key):
    return squeeze(raw(key))


def every_document():
    return " ".join(document(key) for key in files())


def fixture_files():
    return sorted(Path(__file__).resolve().parents[2].glob("fixtures/popsote/*.yaml"))


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))
