'use strict'
// Problem management from Node: repeated incidents suggest a problem, incidents are linked,
// a known error's workaround is offered, solving the problem proposes its solution to the
// open incidents; typed errors name the field.
const test = require('node:test')
const assert = require('node:assert/strict')
const { desk, incident } = require('./fixture')

test('a problem from repeats to resolution', async () => {
  const d = await desk()
  const vpn = []
  for (const title of [
    'La VPN se desconecta cada diez minutos',
    'VPN se desconecta cada diez minutos en casa',
    'La VPN se desconecta cada diez minutos desde ayer',
  ]) {
    vpn.push(await incident(d, title))
  }
  const [group] = await d.problemSuggestions('sue')
  assert.deepEqual(group.tickets, vpn.map((t) => t.id))
  let prb = await d.openTicket('bob', { kind: 'problem', channel: 'portal', requester: 'bob', title: 'VPN drops sessions' })
  assert.ok(prb.folio.startsWith('PRB-'))
  assert.equal(prb.problem.state, 'analysis')
  for (const t of vpn) {
    assert.equal((await d.linkProblem('bob', t.id, prb.id)).problemId, prb.id)
  }
  assert.deepEqual((await d.problemIncidents('eva', prb.id)).map((t) => t.id), vpn.map((t) => t.id))
  await assert.rejects(
    d.updateProblem('bob', prb.id, { state: 'known_error', rootCause: 'Concentrador' }),
    { code: 'VALIDATION', field: 'workaround' },
  )
  prb = await d.updateProblem('bob', prb.id, {
    rootCause: 'El concentrador corta sesiones inactivas',
    workaround: 'Activar keepalive en el cliente',
    state: 'known_error',
  })
  const [offer] = await d.knownErrors('bob', vpn[0].id)
  assert.deepEqual([offer.problem, offer.linked, offer.workaround], [prb.id, true, 'Activar keepalive en el cliente'])
  await d.unlinkProblem('bob', vpn[2].id)
  await d.assign('bob', vpn[0].id, { assignee: 'bob' })
  await d.assign('bob', prb.id, { assignee: 'bob' })
  const done = await d.resolveProblem('bob', prb.id, 'Firmware del concentrador actualizado')
  assert.equal(done.problem.problem.state, 'resolved')
  assert.deepEqual(done.proposed.map((t) => t.id), [vpn[0].id])
  assert.deepEqual(done.notProposed.map((n) => n.id), [vpn[1].id])
})

test('bad problem input names the field', async () => {
  const d = await desk()
  const t = await incident(d, 'Impresora atascada')
  const other = await incident(d, 'Otra')
  await assert.rejects(d.linkProblem('bob', t.id, other.id), { code: 'VALIDATION', field: 'problem' })
  await assert.rejects(d.updateProblem('bob', t.id, { rootCause: 'x' }), { code: 'VALIDATION', field: 'kind' })
  await assert.rejects(d.problemSuggestions('ana'), { code: 'PERMISSION_DENIED' })
})
