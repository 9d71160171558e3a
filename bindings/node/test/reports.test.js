'use strict'
// Reports from Node: the KPI report and its rows as plain objects, CSV in Excel's Spanish
// form, an SVG chart, the supervisor's dashboard, the security register as PDF bytes;
// typed errors name the field.
const test = require('node:test')
const assert = require('node:assert/strict')
const { FoliodeskError } = require('..')
const { MONDAY, desk, incident } = require('./fixture')

const WEEK = { from: '2026-03-02', to: '2026-03-09', timeZone: 'Europe/Madrid', every: 'day' }

async function weekOfWork() {
  const d = await desk()
  const t = await incident(d)
  await d.assign('bob', t.id, { assignee: 'bob' })
  d.setNow(new Date(+MONDAY + 20 * 60e3))
  await d.comment('bob', t.id, 'Mirando')
  await d.proposeSolution('bob', t.id, 'Reiniciado')
  await incident(d, 'Correo lento')
  d.setNow(new Date(+MONDAY + 24 * 3600e3))
  return d
}

test('the report, its rows, CSV and a chart', async () => {
  const d = await weekOfWork()
  const r = await d.report('sue', WEEK)
  assert.deepEqual([r.current.volume, r.previous.volume], [2, 0])
  assert.deepEqual(r.current.byChannel, { email: 2 })
  assert.equal(r.current.firstResponse.calendar.median, 20 * 60)
  assert.deepEqual(r.series.map((p) => p.opened), [2, 0, 0, 0, 0, 0, 0])
  assert.equal(r.series[0].start, '2026-03-02')
  assert.ok('resolution' in r.current.slaByTarget || 'first_response' in r.current.slaByTarget, JSON.stringify(r.current.slaByTarget))

  const { rows } = await d.reportTable('sue', WEEK)
  const opened = rows.find((x) => x.kpi === 'opened' && x.period === 'current')
  assert.equal(opened.value, 2)
  const csv = await d.reportCsv('sue', WEEK, { options: { semicolon: true, bom: false } })
  assert.ok(csv.startsWith('section;kpi;key;period;value\n'), csv.slice(0, 80))
  assert.ok(csv.includes('volume;opened;*;current;2\n'))
  const svg = await d.reportChart('sue', WEEK, 'backlog_age')
  assert.match(svg, /^<svg[\s\S]*Backlog by age[\s\S]*<\/svg>\s*$/)
})

test('the dashboard and the security register', async () => {
  const d = await weekOfWork()
  const dash = await d.dashboard('sue', { timeZone: 'Europe/Madrid' })
  assert.deepEqual([dash.inHand, dash.newUnassigned, dash.validating], [1, 1, 1])
  assert.ok(dash.oldest.openedAt instanceof Date)
  const pdf = await d.securityRegisterPdf('sue', { ...WEEK, every: 'week' })
  assert.ok(pdf instanceof Uint8Array)
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-')
})

test('packing finished facts changes no figure', async () => {
  const d = await weekOfWork()
  const t = await incident(d, 'Duplicado')
  await d.cancel('bob', t.id, 'duplicate', 'ver VPN')
  const before = await d.reportCsv('sue', WEEK)
  assert.equal(await d.packReportFacts(30), 1)
  assert.equal(await d.reportCsv('sue', WEEK), before)
  assert.equal((await d.tick()).packedFacts, 0)
})

test('bad report input names the field', async () => {
  const d = await weekOfWork()
  await assert.rejects(d.report('sue', { ...WEEK, to: '2026-03-02' }), (e) => {
    assert.ok(e instanceof FoliodeskError)
    assert.equal(e.field, 'window.to')
    return true
  })
  await assert.rejects(d.dashboard('sue', { timeZone: 'Mars/Olympus' }), (e) => e.field === 'time_zone')
  await assert.rejects(d.dashboard('bob'), (e) => e.code === 'PERMISSION_DENIED')
})
