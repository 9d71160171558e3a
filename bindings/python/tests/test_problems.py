"""Problem management from Python: repeated incidents suggest a problem, incidents are
linked, a known error's workaround is offered, solving the problem proposes its solution to
the open incidents; typed errors name the field."""

import pytest

import foliodesk
from conftest import incident


def test_a_problem_from_repeats_to_resolution(desk: foliodesk.Desk) -> None:
    vpn = [incident(desk, t) for t in ["La VPN se desconecta cada diez minutos",
                                        "VPN se desconecta cada diez minutos en casa",
                                        "La VPN se desconecta cada diez minutos desde ayer"]]
    [group] = desk.problem_suggestions("sue")
    assert group.tickets == [t.id for t in vpn]

    prb = desk.open_ticket("bob", kind="problem", channel="portal", requester="bob",
                           title="VPN drops sessions")
    assert prb.folio.startswith("PRB-") and prb.problem.state == "analysis"
    for t in vpn:
        assert desk.link_problem("bob", t.id, prb.id).problem_id == prb.id
    assert [t.id for t in desk.problem_incidents("eva", prb.id)] == [t.id for t in vpn]
    assert desk.problem_suggestions("sue") == []

    with pytest.raises(foliodesk.ValidationError) as e:
        desk.update_problem("bob", prb.id, state="known_error", root_cause="Concentrador")
    assert e.value.field == "workaround"
    prb = desk.update_problem("bob", prb.id, root_cause="El concentrador corta sesiones inactivas",
                              workaround="Activar keepalive en el cliente", state="known_error")
    assert prb.problem.state == "known_error"
    [offer] = desk.known_errors("bob", vpn[0].id)
    assert (offer.problem, offer.linked, offer.workaround) == (prb.id, True, "Activar keepalive en el cliente")

    desk.unlink_problem("bob", vpn[2].id)
    desk.assign("bob", vpn[0].id, assignee="bob")
    desk.assign("bob", prb.id, assignee="bob")
    done = desk.resolve_problem("bob", prb.id, "Firmware del concentrador actualizado")
    assert done.problem.problem.state == "resolved"
    assert [t.id for t in done.proposed] == [vpn[0].id]
    assert [n.id for n in done.not_proposed] == [vpn[1].id]
    assert desk.confirm_solution("ana", vpn[0].id).status in ("confirmed", "closed")


def test_bad_problem_input_names_the_field(desk: foliodesk.Desk) -> None:
    t = incident(desk, "Impresora atascada")
    other = incident(desk, "Otra")
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.link_problem("bob", t.id, other.id)
    assert e.value.field == "problem"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.update_problem("bob", t.id, root_cause="x")
    assert e.value.field == "kind"
    with pytest.raises(foliodesk.PermissionDenied):
        desk.problem_suggestions("ana")
