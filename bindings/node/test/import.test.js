'use strict'
// Importing another help desk's tickets from Node: batches with an onProgress callback,
// async iterables, resumption without duplicates, refusals named from the start.
const test = require('node:test')
const assert = require('node:assert/strict')
const os = require('node:os')
const path = require('node:path')
const fs = require('node:fs')
const { Desk, SYSTEM, FoliodeskError } = require('..')
const { MONDAY, SLA, seed, desk } = require('./fixture')

const HOUR = 3600e3

function old(reference, day, confirmBy = 'ana') {
  const opened = new Date(Date.UTC(2025, 10, day, 9))
  return {
    source: 'zammad',
    reference,
    openedAt: opened,
    openedBy: 'ana',
    ticket: { kind: 'incident', channel: 'email', requester: 'ana', title: `Sin VPN ${reference}` },
    history: [
      { at: new Date(+opened + HOUR / 6), actor: 'bob', command: { command: 'assign', team: 'service-desk', assignee: 'bob' } },
      { at: new Date(+opened + HOUR), actor: 'bob', command: { command: 'propose_solution', solution: 'Perfil VPN nuevo' } },
      { at: new Date(+opened + 2 * HOUR), actor: confirmBy, command: { command: 'confirm_solution' } },
    ],
  }
}

test('an import keeps the history and notifies nobody', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-import-'))
  const d = await Desk.open(`redb://${path.join(dir, 'desk.redb')}`, SLA, { now: MONDAY })
  await seed(d)
  const report = await d.importTickets(SYSTEM, [old('9', 3), old('10', 4)])
  assert.deepEqual([report.imported, report.skipped], [2, 0])
  assert.deepEqual(report.tickets.map((t) => t.folio), ['INC-2025-000001', 'INC-2025-000002'])
  const ticket = await d.ticket('bob', report.tickets[0].id)
  assert.deepEqual(ticket.imported, { source: 'zammad', reference: '9' })
  assert.equal(ticket.milestones.openedAt.toISOString(), '2025-11-03T09:00:00.000Z')
  const history = await d.history('bob', ticket.id)
  assert.deepEqual(history.slice(-2).map((e) => e.event.type), ['solution_confirmed', 'imported'])
  assert.deepEqual(history.slice(-2).map((e) => e.actor), ['ana', SYSTEM])
  assert.equal(history.at(-1).at.toISOString(), MONDAY.toISOString())
  assert.equal((await d.verify(ticket.id)).firstBroken ?? null, null)
  assert.deepEqual(await d.outbox({ limit: 50 }), [])
  await d.close()
})

test('importAll reports progress, names a bad row from the start, and resumes', async () => {
  const d = await desk()
  const rows = [0, 1, 2, 3, 4].map((n) => old(String(n), 1 + n))
  rows[3] = old('3', 4, 'nobody')
  const seen = []
  await assert.rejects(
    d.importAll(SYSTEM, rows, { batchSize: 2, onProgress: (p) => seen.push(p.done) }),
    (e) => e instanceof FoliodeskError && e.code === 'VALIDATION' && e.field === 'tickets[3].history[2].actor',
  )
  assert.deepEqual(seen, [2])
  rows[3] = old('3', 4)
  async function* stream() {
    yield* rows
  }
  const progress = []
  const report = await d.importAll(SYSTEM, stream(), { batchSize: 2, onProgress: (p) => progress.push(p) })
  assert.deepEqual(progress.map((p) => [p.done, p.imported, p.skipped]), [[2, 0, 2], [4, 2, 2], [5, 3, 2]])
  assert.deepEqual([report.imported, report.skipped], [3, 2])
  assert.equal(report.tickets[2].folio, 'INC-2025-000003')
  await assert.rejects(d.importAll(SYSTEM, rows, { batchSize: 0 }), (e) => e.field === 'batchSize')
  await assert.rejects(d.importTickets('ana', [old('x', 3)]), (e) => e.code === 'PERMISSION_DENIED')
})
