"""The knowledge base and search from Python: articles through review, the FAQ search for
requesters, similar incidents for the staff, typed errors that name the field."""

import pytest

import foliodesk
from conftest import incident


def test_an_article_goes_from_draft_to_the_faq(desk: foliodesk.Desk) -> None:
    a = desk.write_article("bob", title="La impresora no imprime",
                           body="Compruebe el papel y el tóner; apague y encienda la impresora.",
                           visibility="public", category="Hardware")
    assert (a.status, len(a.versions)) == ("draft", 1)
    assert desk.search_articles("ana", text="impresora") == []
    desk.change_article("bob", a.id, {"action": "submit"})
    with pytest.raises(foliodesk.PermissionDenied):
        desk.change_article("bob", a.id, {"action": "publish"})
    a = desk.change_article("sue", a.id, {"action": "publish", "note": "ok"})
    assert [v.action for v in a.versions] == ["created", "submitted", "published"]
    [hit] = desk.search_articles("ana", text="impresora no impri", limit=5)
    assert (hit.id, hit.status, hit.visibility) == (a.id, "published", "public")
    assert hit.score > 0
    a = desk.change_article("ana", a.id, {"action": "vote", "helpful": True})
    assert (a.helpful, a.not_helpful) == (1, 0)
    assert [x.id for x in desk.articles("sue", status="published")] == [a.id]


def test_similar_incidents_carry_their_solutions(desk: foliodesk.Desk) -> None:
    old = incident(desk, "Error 0x80070005 al imprimir", description="La impresora rechaza el trabajo")
    desk.assign("bob", old.id, assignee="bob")
    desk.propose_solution("bob", old.id, "Permisos del spooler restaurados")
    new = incident(desk, "No puedo imprimir: 0x80070005")
    [hit] = desk.similar_tickets("bob", new.id)
    assert (hit.id, hit.solution) == (old.id, "Permisos del spooler restaurados")
    assert [h.id for h in desk.search_tickets("bob", text="spooler", status=["resolved"])] == [old.id]
    kb = desk.archive_to_knowledge("bob", old.id)
    assert (kb.status, kb.source_ticket, kb.visibility) == ("draft", old.id, "internal")


def test_recurring_solutions_are_suggested(desk: foliodesk.Desk) -> None:
    for title in ["VPN caída", "Sin VPN"]:
        t = incident(desk, title)
        desk.assign("bob", t.id, assignee="bob")
        desk.propose_solution("bob", t.id, "Renovado el certificado de usuario de la VPN")
    [group] = desk.knowledge_suggestions("sue", min_tickets=2)
    assert (len(group.tickets), group.solution) == (2, "Renovado el certificado de usuario de la VPN")
    assert desk.knowledge_suggestions("sue") == []


def test_bad_input_names_the_field(desk: foliodesk.Desk) -> None:
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.write_article("bob", title=" ", body="x")
    assert e.value.field == "article.title"
    with pytest.raises(foliodesk.ValidationError) as e:
        desk.search_tickets("bob", text="x", limit=500)
    assert e.value.field == "query.limit"
    with pytest.raises(foliodesk.PermissionDenied):
        desk.search_tickets("ana", text="vpn")
    with pytest.raises(foliodesk.NotFound):
        desk.article("ana", "nope")
