"""The shared context of one document's extraction: the reference date relative dates resolve
against."""
import datetime as dt


def test_seed_reference_date_falls_back_to_latest_full_date(seed_extractions):
    irgc, defence = seed_extractions
    assert irgc.doc.date is None and irgc.ref_date == dt.date(2023, 7, 17)
    assert defence.ref_date == dt.date(2023, 6, 17)
