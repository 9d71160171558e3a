'use strict'
// Reconfiguration as a reviewed operation, candidate SLA simulation, and the desk anchor
// through the Node binding.
const test = require('node:test')
const assert = require('node:assert/strict')
const { MONDAY, HOUR, SLA, desk, incident } = require('./fixture.js')

const stricter = () => {
  const c = structuredClone(SLA)
  c.sla.policies[0].targets.p3.first_response = '30m'
  return c
}

test('reconfigure reviews, then applies', async () => {
  const d = await desk()
  await d.putUser({ id: 'adm', name: 'Admin', role: 'admin' })
  const t = await incident(d)
  d.setNow(new Date(MONDAY.getTime() + HOUR))
  await assert.rejects(d.reconfigure('sue', stricter(), { dryRun: true }), { code: 'PERMISSION_DENIED' })
  const bad = stricter()
  bad.sla.at_risk_percent = 0
  await assert.rejects(d.reconfigure('adm', bad), (e) => e.code === 'VALIDATION' && e.field.includes('at_risk_percent'))
  const review = await d.reconfigure('adm', stricter(), { dryRun: true })
  assert.equal(review.applied, false)
  assert.equal(review.changes.length, 1)
  assert.equal(review.changes[0].ticket, t.id)
  assert.ok(review.changes[0].after.slaDue < review.changes[0].before.slaDue)
  const breached = { slaDueBy: await d.now() }
  assert.equal((await d.query('sue', breached)).items.length, 0)
  const applied = await d.reconfigure('adm', stricter())
  assert.deepEqual([applied.applied, applied.rescheduled], [true, 1])
  assert.equal((await d.query('sue', breached)).items.length, 1)
})

test('simulateSla takes a candidate', async () => {
  const d = await desk()
  const t = await incident(d)
  const until = new Date(MONDAY.getTime() + 240 * HOUR)
  const live = await d.simulateSla('sue', t.id, until)
  const tighter = structuredClone(SLA.sla)
  tighter.policies[0].targets.p3.resolution = '1h'
  const tried = await d.simulateSla('sue', t.id, until, tighter)
  assert.ok(tried[0].at < live[0].at)
  tighter.at_risk_percent = 0
  await assert.rejects(d.simulateSla('sue', t.id, until, tighter), { code: 'VALIDATION', field: 'candidate.at_risk_percent' })
})

test('checkpoint and verifyDesk', async () => {
  const d = await desk()
  const t = await incident(d)
  await d.assign('bob', t.id, { assignee: 'bob' })
  const cp = await d.checkpoint()
  assert.deepEqual([cp.seq, cp.tickets, cp.hash.length], [1, 1, 64])
  const report = await d.verifyDesk()
  assert.deepEqual([report.findings, report.anchor, report.tickets], [[], cp.hash, 1])
})
