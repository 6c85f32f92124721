"""The development set's build holds to the shapes: `kg validate` conforms on it (issue 24: a
plain build must never write data its own validator rejects)."""
from __future__ import annotations


def test_the_dev_set_build_conforms(dev_store):
    from kg.checks.validate import validate

    report = validate(dev_store)
    assert report.conforms, "\n".join(v.line() for v in report.errors[:10])
