'use strict'
// Automatic assignment from Node: team strategies choose the technician, absences are
// honoured, functional escalation follows the category's rule; typed errors name the field.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Desk, SYSTEM } = require('..')
const { MONDAY, HOUR, seed } = require('./fixture')

const CONFIG = {
  categories: [{ path: 'Hardware', team: 'service-desk', escalate: { n2: 'networks' } }],
  teams: [
    { id: 'service-desk', name: 'Service desk', level: 'n1', assignment: 'round_robin' },
    { id: 'apps', name: 'Applications', level: 'n2' },
    { id: 'networks', name: 'Networks', level: 'n2', assignment: 'least_loaded' },
  ],
}

async function desk() {
  const d = await Desk.open('memory://', CONFIG, { now: MONDAY })
  await seed(d)
  await d.putUser(SYSTEM, {
    id: 'ray', name: 'Ray', role: 'agent', level: 'n1', teams: ['service-desk'], skills: ['Hardware'],
    away: [{ from: new Date(MONDAY - HOUR), until: new Date(+MONDAY + 24 * HOUR) }],
  })
  return d
}

const hardware = (d, title) =>
  d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title, category: 'Hardware' })

test('strategies choose the technician', async () => {
  const d = await desk()
  const ray = await d.user('ray')
  assert.deepEqual(ray.skills, ['Hardware'])
  assert.ok(ray.away[0].until instanceof Date)
  assert.equal((await d.team('service-desk')).assignment, 'round_robin')
  const chosen = []
  for (const n of [0, 1, 2]) chosen.push(await hardware(d, `Pantalla ${n}`))
  assert.deepEqual(chosen.map((t) => t.assignee), ['bob', 'sue', 'bob'], 'ray is away')
  const last = (await d.history('sue', chosen[0].id)).at(-1).event
  assert.equal(last.type, 'assigned')
  assert.equal(last.data.strategy, 'round_robin')
  const up = await d.escalate('bob', chosen[0].id, 'functional', 'cableado')
  assert.deepEqual([up.team, up.assignee], ['networks', 'eva'])
})

test('bad assignment input names the field', async () => {
  const d = await desk()
  await assert.rejects(d.putUser(SYSTEM, { id: 'zoe', name: 'Zoe', role: 'agent', calendar: 'nowhere' }), {
    code: 'VALIDATION',
    field: 'user.calendar',
  })
  await assert.rejects(
    d.putUser(SYSTEM, { id: 'zoe', name: 'Zoe', role: 'agent', away: [{ from: MONDAY, until: MONDAY }] }),
    { code: 'VALIDATION', field: 'user.away[0].until' },
  )
  await assert.rejects(Desk.open('memory://', { categories: [{ path: 'Red', escalate: { n1: 'x' } }] }), {
    code: 'VALIDATION',
    field: 'categories[0].escalate.n1',
  })
})

test('the classifier learns from solved tickets', async () => {
  const config = {
    classifier: { apply_above: 80, min_examples: 4 },
    categories: [{ path: 'Hardware', team: 'service-desk' }, { path: 'Red' }],
    teams: [{ id: 'service-desk', name: 'Service desk', level: 'n1' }],
  }
  const d = await Desk.open('memory://', config, { now: MONDAY })
  await seed(d)
  const lessons = [
    ['La impresora no imprime', 'Hardware'],
    ['Impresora atascada', 'Hardware'],
    ['La VPN no conecta', 'Red'],
    ['VPN muy lenta', 'Red'],
  ]
  for (const [n, [title, category]] of [...lessons, ...lessons].entries()) {
    const t = await d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title: `${title} ${n}`, category })
    await d.assign('bob', t.id, { assignee: 'bob' })
    await d.proposeSolution('bob', t.id, 'Hecho')
  }
  const s = await d.suggestClassification('bob', 'Impresora sin papel')
  assert.equal(s.examples, 8)
  assert.equal(s.category[0].label, 'Hardware')
  assert.ok(s.category[0].confidence > 0.5)
  const t = await d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title: 'La impresora no imprime nada' })
  assert.deepEqual([t.category, t.team], ['Hardware', 'service-desk'])
  assert.equal(await d.trainClassifier('sue'), 8)
  await assert.rejects(d.suggestClassification('ana', 'x'), { code: 'PERMISSION_DENIED' })
})
