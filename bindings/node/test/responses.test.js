'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { Desk } = require('..')
const { SLA, MONDAY, seed } = require('./fixture')

const CONFIG = {
  ...SLA,
  responses: [{ id: 'ask-logs', title: 'Pedir registros', body: 'Hola {{ requester }}, ¿nos envía el registro de {{ ticket.folio }}?' }],
  macros: [{ id: 'ask-for-logs', title: 'Esperando registros', response: 'ask-logs', tags: ['waiting-logs'], status: 'pending' }],
}

test('a macro answers, tags and waits in one append', async () => {
  const d = await Desk.open('memory://', CONFIG, { now: MONDAY })
  await seed(d)
  let t = await d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title: 'VPN down' })
  t = await d.assign('bob', t.id, { assignee: 'bob' })
  const [r] = await d.responses('bob', t.id)
  assert.equal(r.body, `Hola Ana, ¿nos envía el registro de ${t.folio}?`)
  assert.deepEqual((await d.macros('bob')).map((m) => m.id), ['ask-for-logs'])
  const after = await d.applyMacro('bob', t.id, 'ask-for-logs')
  assert.deepEqual([after.status, after.tags, after.version], ['pending', ['waiting-logs'], t.version + 3])
  await assert.rejects(d.applyMacro('bob', t.id, 'nope'), { code: 'VALIDATION', field: 'macro_id' })
})
