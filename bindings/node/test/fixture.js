'use strict'
const { Desk, SYSTEM } = require('..')

const MONDAY = new Date('2026-03-02T09:00:00Z')
const HOUR = 3600e3

const SLA = {
  sla: {
    calendars: {
      office: {
        timezone: 'UTC',
        hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '17:00']]])),
      },
    },
    policies: [
      { id: 'standard', calendar: 'office', default: true, targets: { p3: { first_response: '2h', resolution: '8h' } } },
    ],
    escalation: [
      { target: 'resolution', at_percent: 75, actions: ['notify_assignee'] },
      { target: 'resolution', at_percent: 100, actions: ['functional', 'notify_supervisor'], repeat_every: '2h' },
    ],
  },
  teams: [
    { id: 'service-desk', name: 'Service desk', level: 'n1', supervisor: 'sue' },
    { id: 'networks', name: 'Networks', level: 'n2' },
  ],
}

async function seed(desk) {
  await desk.putOrganisation(SYSTEM, { id: 'acme', name: 'ACME' })
  await desk.putUser(SYSTEM, { id: 'ana', name: 'Ana', role: 'requester', organisation: 'acme' })
  await desk.putUser(SYSTEM, { id: 'leo', name: 'Leo', role: 'requester', organisation: 'acme' })
  await desk.putUser(SYSTEM, { id: 'bob', name: 'Bob', role: 'agent', level: 'n1', teams: ['service-desk'] })
  await desk.putUser(SYSTEM, { id: 'eva', name: 'Eva', role: 'agent', level: 'n2', teams: ['networks'] })
  await desk.putUser(SYSTEM, { id: 'sue', name: 'Sue', role: 'supervisor', level: 'n1', teams: ['service-desk'] })
}

async function desk(url = 'memory://') {
  const d = await Desk.open(url, SLA, { now: MONDAY })
  await seed(d)
  return d
}

const incident = (d, title = 'VPN down', extra = {}) =>
  d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title, ...extra })

module.exports = { MONDAY, HOUR, SLA, seed, desk, incident }
