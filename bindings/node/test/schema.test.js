'use strict'
// Conversion follows the schema: user-chosen keys come back as they went in, record keys
// are camelCase, instants Date and durations milliseconds wherever they sit.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Desk, SYSTEM } = require('..')

const CONFIG = {
  priority: { tier_bonus: { gold_plus: 1 } },
  sla: {
    holiday_sets: { es_national: ['01-01', '12-25'], madrid_city: ['05-15'] },
    calendars: {
      madrid_office: { timezone: 'Europe/Madrid', holiday_sets: ['es_national', 'madrid_city'], hours: { mon: [['09:00', '14:00']] } },
    },
    policies: [
      {
        id: 'gold_customers',
        calendar: 'madrid_office',
        default: true,
        when: { tiers: ['gold_plus'], organisations: ['acme_iberia'] },
        targets: { p3: { first_response: '2h', resolution: '8h' }, p4: { first_response: '2h', resolution: '8h' } },
      },
    ],
  },
}

test('user-chosen keys round-trip through config()', async () => {
  const d = await Desk.open('memory://', CONFIG)
  const c = await d.config()
  assert.deepEqual(Object.keys(c.sla.holiday_sets).sort(), ['es_national', 'madrid_city'])
  assert.deepEqual(Object.keys(c.sla.calendars), ['madrid_office'])
  assert.deepEqual(c.sla.calendars.madrid_office.holiday_sets, ['es_national', 'madrid_city'])
  assert.deepEqual(c.priority.tier_bonus, { gold_plus: 1 })
  assert.deepEqual(c.sla.policies[0].when.organisations, ['acme_iberia'])
  // The document goes back unchanged.
  const review = await d.reconfigure(SYSTEM, c, { dryRun: true })
  assert.deepEqual(review.changes, [])
  await d.close()
})

test('records are camelCase, instants Date, durations milliseconds', async () => {
  const monday = new Date('2026-03-02T09:00:00Z')
  const d = await Desk.open('memory://', CONFIG, { now: monday })
  await d.putOrganisation(SYSTEM, { id: 'acme_iberia', name: 'ACME Iberia', tier: 'gold_plus' })
  await d.putUser(SYSTEM, { id: 'ana', name: 'Ana', role: 'requester', organisation: 'acme_iberia' })
  const t = await d.openTicket('ana', { channel: 'email', requester: 'ana', title: 'VPN down', usersAffected: 3, configurationItems: ['vpn-gw-1'] })
  assert.equal(t.usersAffected, 3)
  assert.deepEqual(t.configurationItems, ['vpn-gw-1'])
  assert.ok(t.milestones.openedAt instanceof Date)
  assert.equal(t.milestones.openedAt.getTime(), monday.getTime())
  assert.equal((await d.organisation('acme_iberia')).tier, 'gold_plus')
  const view = await d.sla('ana', t.id)
  const first = view.targets.find((x) => x.target === 'first_response')
  assert.equal(first.budget, 2 * 3600e3)
  assert.ok(first.due instanceof Date)
  const [opened] = await d.history('ana', t.id)
  assert.equal(opened.event.type, 'opened')
  assert.ok(opened.at instanceof Date)
  await assert.rejects(d.comment('ana', t.id, 'x', { visiblity: 'public' }), { code: 'VALIDATION', field: 'visiblity' })
  await assert.rejects(d.comment('ana', t.id, 'x', 'internal'), { code: 'VALIDATION', field: 'options' })
  await d.close()
})
