'use strict'
// E-mail intake from Node: raw bytes in, a ticket opened, a reply added by the folio in its
// subject, an auto-reply dropped with the reason, the same message twice a duplicate.
const test = require('node:test')
const assert = require('node:assert/strict')
const { SYSTEM } = require('..')
const { desk } = require('./fixture.js')

const mail = (id, subject, body, extra = '') =>
  Buffer.from(`From: Ana <ana@example.com>\r\nTo: soporte@example.com\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${id}>\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`)

async function addressed(d) {
  const ana = await d.user('ana')
  await d.putUser(SYSTEM, { ...ana, email: 'ana@example.com' })
}

test('raw mail opens, threads and is taken once', async () => {
  const d = await desk()
  await addressed(d)
  const first = mail('q1@example.com', 'Sin VPN', 'No conecta.')
  const got = await d.ingestEmail(first)
  assert.equal(got.outcome, 'opened')
  assert.equal((await d.ingestEmail(new Uint8Array(first))).outcome, 'duplicate')
  const reply = mail('q2@example.com', `RE: [${got.folio}] Sin VPN`,
    'Ya reinicié.\r\n\r\nEl lun, 2 mar 2026, Soporte escribió:\r\n> ¿Reinició?')
  const added = await d.ingestEmail(reply)
  assert.deepEqual([added.outcome, added.ticket], ['added', got.ticket])
  const t = await d.ticket('bob', got.ticket)
  assert.deepEqual(t.comments.map((c) => c.body), ['Ya reinicié.'])
  const oof = mail('q3@example.com', `RE: [${got.folio}] Sin VPN`, 'Fuera', 'Auto-Submitted: auto-replied\r\n')
  const dropped = await d.ingestEmail(oof)
  assert.equal(dropped.outcome, 'ignored')
  assert.deepEqual(dropped.ignored, { reason: 'automatic', detail: 'auto_reply' })
})

test('an inbound message from another channel, and typed errors', async () => {
  const d = await desk()
  await addressed(d)
  const got = await d.ingest({ channel: 'chat', from: 'ana@example.com', subject: 'Impresora', text: 'No imprime', messageId: 'chat-77' })
  assert.equal(got.outcome, 'opened')
  assert.equal((await d.ticket('bob', got.ticket)).channel, 'chat')
  await assert.rejects(d.ingestEmail(Buffer.from('Subject: no sender\r\n\r\nhola')), { code: 'VALIDATION', field: 'email.from' })
})

test('monitoring events count on one ticket per key', async () => {
  const d = await desk()
  const event = (n, recovery = false) => ({
    channel: 'event', from: 'zabbix', subject: 'web-01 CPU', text: `load ${90 + n}%`,
    messageId: `zbx-${n}`, threadKey: 'web-01/cpu', recovery
  })
  const outcomes = []
  for (let n = 0; n < 5; n++) outcomes.push((await d.ingest(event(n))).outcome)
  assert.deepEqual(outcomes, ['opened', 'added', 'added', 'added', 'added'])
  const again = await d.ingest(event(0))
  assert.equal(again.outcome, 'duplicate')
  const t = await d.ticket('bob', again.ticket)
  assert.deepEqual([t.occurrences, t.threadKey], [5, 'web-01/cpu'])
  const cleared = await d.ingest(event(9, true))
  assert.equal(cleared.outcome, 'added')
  assert.match(cleared.why, /recorded/)
})

test('the IMAP reader refuses clear text to a remote host and reports an unreachable server', async () => {
  const d = await desk()
  await assert.rejects(
    d.pollImap({ host: 'imap.example.com', security: 'none', username: 'soporte', password: 'x' }),
    { code: 'VALIDATION', field: 'imap.security' })
  await assert.rejects(
    d.pollImap({ host: '127.0.0.1', port: 1, security: 'none', username: 'soporte', password: 'x', timeoutSeconds: 2 }),
    { code: 'REMOTE' })
})

test('attachments round-trip as Buffers and stay with who may see them', async () => {
  const d = await desk()
  let t = await d.openTicket('ana', { kind: 'incident', channel: 'portal', requester: 'ana', title: 'Pantalla' })
  const png = Buffer.from(Array.from({ length: 2048 }, (_, i) => i % 256))
  t = await d.attach('ana', t.id, 'captura.png', 'image/png', png)
  const shot = t.attachments.at(-1)
  assert.deepEqual([shot.name, shot.size, shot.visibility], ['captura.png', 2048, 'public'])
  const back = await d.attachment('bob', t.id, shot.sha256)
  assert.ok(Buffer.isBuffer(back) && back.equals(png))
  t = await d.attach('bob', t.id, 'syslog.txt', 'text/plain', new TextEncoder().encode('ERROR disk full\n'), { visibility: 'internal' })
  const note = t.attachments.at(-1).sha256
  await assert.rejects(d.attachment('ana', t.id, note), { code: 'NOT_FOUND' })
  assert.deepEqual((await d.ticket('ana', t.id)).attachments.map((a) => a.name), ['captura.png'])
  await assert.rejects(d.attach('ana', t.id, 'setup.exe', 'application/x-msdownload', Buffer.from('MZ')),
    { code: 'VALIDATION', field: 'attachment.content_type' })
})

test('contact records of calls answered and abandoned', async () => {
  const d = await desk()
  const t0 = await d.now()
  const later = (s) => new Date(t0.getTime() + s * 1000)
  const got = await d.ingest({
    channel: 'phone', from: '+34600111222', text: 'No arranca', messageId: 'call-1',
    contact: { startedAt: t0, answeredAt: later(35), agent: 'bob' }
  })
  assert.equal(got.outcome, 'opened')
  await d.ingest({ channel: 'phone', from: '+34600111223', messageId: 'call-2', contact: { startedAt: later(60), abandoned: true } })
  const calls = await d.contacts('sue', t0, later(3600))
  assert.deepEqual(calls.map((c) => [c.id, c.ticket ?? null, c.abandoned]), [['call-1', got.ticket, false], ['call-2', null, true]])
  assert.equal(calls[0].answeredAt.getTime(), later(35).getTime())
  await assert.rejects(d.contacts('ana', t0, t0), { code: 'PERMISSION_DENIED' })
})
