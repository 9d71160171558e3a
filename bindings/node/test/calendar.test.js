'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { Calendar } = require('..')

const WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '14:00'], ['15:00', '18:00']]]))
const HOUR = 3600e3

test('adding and measuring business time in wall time', () => {
  const c = new Calendar({ timezone: 'Europe/Madrid', hours: WEEK, holidays: ['2026-03-19'] })
  const start = new Date('2026-03-18T16:00:00Z') // 17:00 in Madrid
  const due = c.addBusinessTime(start, 4 * HOUR)
  assert.equal(due.toISOString(), '2026-03-20T11:00:00.000Z')
  assert.equal(c.businessTimeBetween(start, due), 4 * HOUR)
  assert.equal(c.businessTimeBetween(due, start), -4 * HOUR)
  assert.equal(c.isOpen(new Date('2026-03-16T08:00:00Z')), true)
  assert.equal(c.isOpen(new Date('2026-03-16T13:00:00Z')), false)
  assert.equal(c.nextOpen(new Date('2026-03-16T13:30:00Z')).toISOString(), '2026-03-16T14:00:00.000Z')
  assert.equal(c.nextClose(new Date('2026-03-16T09:00:00Z')).toISOString(), '2026-03-16T13:00:00.000Z')
  const sunday = new Calendar({ timezone: 'Europe/Madrid', hours: { sun: [['00:00', '24:00']] } })
  assert.equal(sunday.businessTimeBetween(new Date('2026-03-28T23:00:00Z'), new Date('2026-03-29T22:00:00Z')), 23 * HOUR)
})

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261208\r\nSUMMARY:Inmaculada\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'

test('holidays from an iCalendar file', () => {
  assert.deepEqual(Calendar.holidaysFromIcs(ICS), ['2026-12-08'])
  const c = Calendar.fromIcs(ICS, { timezone: 'Europe/Madrid', hours: WEEK })
  assert.equal(c.isOpen(new Date('2026-12-08T10:00:00Z')), false)
  assert.throws(() => Calendar.holidaysFromIcs('nope'), { code: 'VALIDATION', field: 'ics' })
})

test('bad calendars and inputs name the field', () => {
  const cases = [
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ timezone: 'UTC', hours: { mon: [['10:00', '09:00']] } }, 'hours.mon[0]'],
    [{ timezone: 'UTC', hours: { mon: [['09:00', '12:00'], ['11:00', '13:00']] } }, 'hours.mon'],
    [{ timezone: 'UTC', holidays: ['2026-02-30'] }, 'holidays[0]'],
  ]
  for (const [spec, field] of cases) assert.throws(() => new Calendar(spec), { code: 'VALIDATION', field })
  const c = new Calendar({ timezone: 'UTC', hours: WEEK })
  assert.throws(() => c.isOpen('2026-03-16'), { code: 'VALIDATION', field: 't' })
  assert.throws(() => c.addBusinessTime(new Date(), -1), { code: 'VALIDATION', field: 'duration' })
  assert.throws(() => c.addBusinessTime(new Date(), NaN), { code: 'VALIDATION', field: 'duration' })
  const closed = new Calendar({ timezone: 'UTC', horizonDays: 30 })
  assert.throws(() => closed.nextOpen(new Date()), { code: 'VALIDATION', field: 'calendar.horizon_days' })
})
