'use strict'
// Rules that act without a person, from Node: an abandoned pending ticket is cancelled by
// tick, a good rating closes, each action attributed to its rule; bad rules name the key.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Desk } = require('..')
const { MONDAY, HOUR, seed } = require('./fixture')

const CONFIG = {
  sla: {
    calendars: {
      office: {
        timezone: 'UTC',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
      },
    },
  },
  teams: [{ id: 'service-desk', name: 'Service desk', level: 'n1' }],
  rules: [
    {
      id: 'close-abandoned',
      after: { since: 'pending', duration: '16h', calendar: 'office' },
      when: { status: ['pending'] },
      then: [{ action: 'cancel', reason: 'withdrawn', note: 'No answer' }],
    },
    {
      id: 'close-rated-well',
      on: ['rated'],
      when: { min_score: 4, status: ['confirmed'] },
      then: [{ action: 'close', note: 'Closed after a good rating' }],
    },
  ],
}

async function opened(d, title) {
  const t = await d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title })
  return d.assign('bob', t.id, { assignee: 'bob' })
}

test('time and event rules act for the desk', async () => {
  const d = await Desk.open('memory://', CONFIG, { now: MONDAY })
  await seed(d)
  let t = await opened(d, 'Printer offline')
  await d.setPending('bob', t.id, 'Which model?')
  assert.deepEqual((await d.tickAt(new Date(+MONDAY + 24 * HOUR))).rulesFired, [])
  const report = await d.tickAt(new Date(+MONDAY + 32 * HOUR + 60e3))
  assert.deepEqual(report.rulesFired, [[t.id, 'close-abandoned']])
  assert.equal((await d.ticket('sue', t.id)).status, 'cancelled')
  const last = (await d.history('sue', t.id)).at(-1)
  assert.deepEqual([last.actor, last.event.type], ['rule:close-abandoned', 'cancelled'])

  t = await opened(d, 'Mailbox full')
  await d.proposeSolution('bob', t.id, 'Archived old mail')
  await d.confirmSolution('ana', t.id)
  assert.equal((await d.rate('ana', t.id, 5)).status, 'closed')
})

test('bad rules name the key', async () => {
  await assert.rejects(
    Desk.open('memory://', { rules: [{ id: 'r', on: ['rattled'], then: [{ action: 'remind_requester' }] }] }),
    { code: 'VALIDATION', field: 'rules[0].on[0]' },
  )
})
