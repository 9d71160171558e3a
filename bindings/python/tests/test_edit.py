"""Ticket edits from Python: keyword fields, before and after in the history, the priority
recomputed from users affected, staff-only fields hidden from requesters, typed refusals."""

import pytest

import foliodesk

from conftest import incident


def test_staff_edit_fields_and_the_history_says_from_what(desk):
    t = incident(desk, "Sin correo")
    after = desk.edit("bob", t.id, title="Sin correo en toda la planta", tags=["major-incident"],
                      possible_causes=["certificado caducado"], users_affected=250)
    assert after.title == "Sin correo en toda la planta"
    assert after.tags == ["major-incident"]
    assert after.priority > t.priority, "250 users raise the priority"
    staff = [e.event for e in desk.history("bob", t.id)]
    assert [e.type for e in staff[-2:]] == ["edited", "priority_changed"]
    edited = staff[-2].data
    assert (edited.title.before, edited.title.after) == ("Sin correo", "Sin correo en toda la planta")
    assert edited.possible_causes.after == ["certificado caducado"]
    # The requester sees the title change, not the possible causes.
    seen = [e.to_dict() for e in desk.history("ana", t.id)]
    assert "Sin correo en toda la planta" in repr(seen)
    assert "certificado" not in repr(seen)


def test_refusals_are_typed_and_name_the_field(desk):
    t = incident(desk)
    with pytest.raises(foliodesk.PermissionDenied):
        desk.edit("ana", t.id, title="Mine")
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.edit("bob", t.id, users_affected=0)
    assert e.value.field == "users_affected"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.edit("bob", t.id, title=t.title)
    assert e.value.field == "edit"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.edit("bob", t.id, colour="red")
    assert "colour" in str(e.value)
