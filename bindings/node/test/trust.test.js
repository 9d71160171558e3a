'use strict'
// Reconfiguration as a reviewed operation, candidate SLA simulation, and the desk anchor
// through the Node binding.
const test = require('node:test')
const assert = require('node:assert/strict')
const { SYSTEM } = require('..')
const { MONDAY, HOUR, SLA, desk, incident } = require('./fixture.js')

const stricter = () => {
  const c = structuredClone(SLA)
  c.sla.policies[0].targets.p3.first_response = '30m'
  return c
}

test('reconfigure reviews, then applies', async () => {
  const d = await desk()
  await d.putUser(SYSTEM, { id: 'adm', name: 'Admin', role: 'admin' })
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
  const tried = await d.simulateSla('sue', t.id, until, { candidate: tighter })
  assert.ok(tried[0].at < live[0].at)
  tighter.at_risk_percent = 0
  await assert.rejects(d.simulateSla('sue', t.id, until, { candidate: tighter }), { code: 'VALIDATION', field: 'candidate.at_risk_percent' })
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

test('teams scope staff; admins own the directory', async () => {
  const d = await desk()
  await d.putOrganisation(SYSTEM, { id: 'globex', name: 'Globex' })
  await d.putTeam(SYSTEM, { id: 'acme-desk', name: 'ACME desk', level: 'n1', serves: ['acme'] })
  await d.putUser(SYSTEM, { id: 'amy', name: 'Amy', role: 'agent', teams: ['acme-desk'] })
  await d.putUser(SYSTEM, { id: 'gus', name: 'Gus', role: 'requester', organisation: 'globex' })
  await d.putUser(SYSTEM, { id: 'adm', name: 'Admin', role: 'admin' })
  const mine = await incident(d)
  const theirs = await d.openTicket('gus', { kind: 'incident', channel: 'portal', requester: 'gus', title: 'VPN' })
  assert.deepEqual((await d.query('amy')).items.map((t) => t.id), [mine.id])
  await assert.rejects(d.ticket('amy', theirs.id), { code: 'NOT_FOUND' })
  await assert.rejects(d.comment('amy', theirs.id, 'hello'), { code: 'NOT_FOUND' })
  assert.equal((await d.query('adm')).items.length, 2)
  await assert.rejects(d.putUser('amy', { id: 'x', name: 'X', role: 'admin' }), { code: 'PERMISSION_DENIED' })
  await d.putUser('adm', { id: 'x', name: 'X', role: 'agent' })
})

test('requesters never see staff-only fields', async () => {
  const d = await desk()
  const security = { discoveredWhere: 'SECRET where', discoveredAt: MONDAY, severity: 'high' }
  const t = await d.openTicket('bob', {
    kind: 'incident', channel: 'phone', requester: 'ana', title: 'Laptop stolen',
    possibleCauses: ['SECRET cause'], assignedResources: ['SECRET van'], security,
  })
  await d.comment('bob', t.id, 'SECRET note', { visibility: 'internal' })
  const seen = JSON.stringify([await d.ticket('ana', t.id), await d.history('ana', t.id)])
  assert.ok(!seen.includes('SECRET'), seen)
  assert.ok(JSON.stringify(await d.history('sue', t.id)).includes('SECRET'))
})

test('a security incident needs its record', async () => {
  const d = await desk()
  const t = await d.openTicket('bob', {
    kind: 'incident', channel: 'phone', requester: 'ana', title: 'Laptop stolen', security: { severity: 'high' },
  })
  await d.assign('bob', t.id, { assignee: 'bob' })
  await assert.rejects(d.proposeSolution('bob', t.id, 'Wiped'), (e) =>
    e.code === 'VALIDATION' && e.field === 'security.discovered_where' && e.message.includes('security.report_written_at'))
})

test('a desk closes and its file opens again', async () => {
  const os = require('node:os')
  const path = require('node:path')
  const fs = require('node:fs')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-close-'))
  const url = `redb://${path.join(dir, 'desk.redb')}`
  const { Desk } = require('..')
  const d = await Desk.open(url, SLA, { now: MONDAY })
  await d.putUser(SYSTEM, { id: 'ana', name: 'Ana', role: 'requester' })
  await d.close()
  await assert.rejects(d.users(), { code: 'VALIDATION', field: 'desk' })
  const again = await Desk.open(url)
  assert.deepEqual((await again.users()).map((u) => u.id), ['ana'])
  await again.close()
  await again.close()
})

test('a nested bad value is named in full', async () => {
  const d = await desk()
  const bad = { kind: 'incident', channel: 'phone', requester: 'ana', title: 'x', security: { discoveredAt: new Date('nope') } }
  await assert.rejects(d.openTicket('bob', bad), { code: 'VALIDATION', field: 'ticket.security.discovered_at' })
})
