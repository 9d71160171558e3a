'use strict'
// The knowledge base and search from Node: articles through review, the FAQ search for
// requesters, similar incidents for the staff, typed errors that name the field.
const test = require('node:test')
const assert = require('node:assert/strict')
const { desk, incident } = require('./fixture')

test('an article goes from draft to the FAQ', async () => {
  const d = await desk()
  let a = await d.writeArticle('bob', {
    title: 'La impresora no imprime',
    body: 'Compruebe el papel y el tóner; apague y encienda la impresora.',
    visibility: 'public',
  })
  assert.equal(a.status, 'draft')
  assert.deepEqual(await d.searchArticles('ana', { text: 'impresora' }), [])
  await d.changeArticle('bob', a.id, { action: 'submit' })
  await assert.rejects(d.changeArticle('bob', a.id, { action: 'publish' }), { code: 'PERMISSION_DENIED' })
  a = await d.changeArticle('sue', a.id, { action: 'publish' })
  assert.deepEqual(a.versions.map((v) => v.action), ['created', 'submitted', 'published'])
  const hits = await d.searchArticles('ana', { text: 'impresora no impri', limit: 5 })
  assert.deepEqual(hits.map((h) => h.id), [a.id])
  assert.ok(hits[0].score > 0)
  a = await d.changeArticle('ana', a.id, { action: 'vote', helpful: false })
  assert.deepEqual([a.helpful, a.notHelpful], [0, 1])
})

test('similar incidents carry their solutions', async () => {
  const d = await desk()
  const old = await incident(d, 'Error 0x80070005 al imprimir', { description: 'La impresora rechaza el trabajo' })
  await d.assign('bob', old.id, { assignee: 'bob' })
  await d.proposeSolution('bob', old.id, 'Permisos del spooler restaurados')
  const fresh = await incident(d, 'No puedo imprimir: 0x80070005')
  const [hit] = await d.similarTickets('bob', fresh.id)
  assert.deepEqual([hit.id, hit.solution], [old.id, 'Permisos del spooler restaurados'])
  const kb = await d.archiveToKnowledge('bob', old.id)
  assert.deepEqual([kb.status, kb.sourceTicket], ['draft', old.id])
})

test('recurring solutions are suggested', async () => {
  const d = await desk()
  for (const title of ['VPN caída', 'Sin VPN']) {
    const t = await incident(d, title)
    await d.assign('bob', t.id, { assignee: 'bob' })
    await d.proposeSolution('bob', t.id, 'Renovado el certificado de usuario de la VPN')
  }
  const [group] = await d.knowledgeSuggestions('sue', { minTickets: 2 })
  assert.deepEqual([group.tickets.length, group.folios.length], [2, 2])
  assert.deepEqual(await d.knowledgeSuggestions('sue'), [])
})

test('bad input names the field', async () => {
  const d = await desk()
  await assert.rejects(d.writeArticle('bob', { title: ' ', body: 'x' }), { code: 'VALIDATION', field: 'article.title' })
  await assert.rejects(d.searchTickets('bob', { text: 'x', limit: 500 }), { code: 'VALIDATION', field: 'query.limit' })
  await assert.rejects(d.searchTickets('ana', { text: 'vpn' }), { code: 'PERMISSION_DENIED' })
})
