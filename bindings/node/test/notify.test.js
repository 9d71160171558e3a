'use strict'
// Notifications from Node: an async callback transport, failures and dead letters, and SMTP
// delivery to a real server (aiosmtpd on loopback; FOLIODESK_PYTHON names the interpreter).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const { spawn, spawnSync } = require('node:child_process')
const { SYSTEM, FoliodeskError } = require('..')
const { MONDAY, desk } = require('./fixture')

async function addressed(d) {
  for (const u of await d.users()) {
    const locale = u.id === 'leo' ? 'en' : null
    await d.putUser(SYSTEM, { ...u, email: `${u.id}@example.com`, locale })
  }
}

const open = (d, who, title) =>
  d.openTicket(who, { kind: 'incident', channel: 'email', requester: who, title })

test('an async callback gets one message per person, in their language', async () => {
  const d = await desk()
  await addressed(d)
  const ana = await open(d, 'ana', 'La impresora no imprime')
  const leo = await open(d, 'leo', 'Printer jammed')
  const sent = []
  const send = async (m) => { sent.push(m) }
  assert.equal((await d.deliver(send)).sent, 0, 'nothing inside the coalescing window')
  d.setNow(new Date(MONDAY.getTime() + 61e3))
  const report = await d.deliver(send)
  assert.equal(report.sent, 2)
  assert.equal(report.failed, 0)
  const byTo = Object.fromEntries(sent.map((m) => [m.to, m]))
  assert.ok(byTo['ana@example.com'].subject.startsWith(`[${ana.folio}] Hemos registrado`))
  assert.ok(byTo['leo@example.com'].subject.startsWith(`[${leo.folio}] We have logged`))
  assert.ok(byTo['leo@example.com'].messageId.startsWith(`${leo.folio}.1-1.`))
  assert.deepEqual(await d.outbox(), [])
})

test('failures retry, permanent ones dead-letter, and requeue sends them', async () => {
  const d = await desk()
  await addressed(d)
  await open(d, 'ana', 'Sin red')
  await open(d, 'leo', 'No network')
  d.setNow(new Date(MONDAY.getTime() + 61e3))
  const flaky = async (m) => {
    if (m.to === 'ana@example.com') throw Object.assign(new Error('550 no such user'), { permanent: true })
    throw new Error('server away')
  }
  const r = await d.deliver(flaky)
  assert.deepEqual([r.failed, r.dead, r.retried], [2, 1, 1])
  const dead = await d.deadLetters()
  assert.deepEqual(dead.map((l) => l.reason), ['Error: 550 no such user'])
  assert.deepEqual((await d.outbox()).map((m) => m.attempts), [1])
  d.setNow(new Date(MONDAY.getTime() + 3600e3))
  const sent = []
  assert.equal((await d.deliver((m) => { sent.push(m.to) })).sent, 1)
  assert.equal(await d.requeueDead(dead.map((l) => l.id)), 1)
  assert.equal((await d.deliver((m) => { sent.push(m.to) })).sent, 1)
  assert.deepEqual(sent, ['leo@example.com', 'ana@example.com'])
})

async function smtpSink(t) {
  const python = process.env.FOLIODESK_PYTHON || 'python3'
  const skip = (process.env.FOLIODESK_SKIP || '').split(',').includes('smtp')
  if (spawnSync(python, ['-c', 'import aiosmtpd']).status !== 0) {
    if (skip) return t.skip('FOLIODESK_SKIP=smtp: the SMTP test is left out')
    assert.fail(`aiosmtpd is needed: ${python} -m pip install aiosmtpd (scripts/test-all does)`)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-smtp-'))
  for (const sub of ['tmp', 'new', 'cur']) fs.mkdirSync(path.join(dir, sub))
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) })
  })
  const proc = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', dir],
    { stdio: 'ignore' })
  t.after(() => proc.kill())
  const deadline = Date.now() + 20e3
  for (;;) {
    const up = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true) }).on('error', () => resolve(false))
    })
    if (up) break
    assert.ok(Date.now() < deadline, 'aiosmtpd did not start')
    await new Promise((r) => setTimeout(r, 50))
  }
  return { port, inbox: path.join(dir, 'new') }
}

test('SMTP delivery to a real server', async (t) => {
  const sink = await smtpSink(t)
  if (!sink) return
  const d = await desk()
  await addressed(d)
  const ticket = await open(d, 'ana', 'Correo caído')
  d.setNow(new Date(MONDAY.getTime() + 61e3))
  const report = await d.deliverSmtp({ host: '127.0.0.1', port: sink.port, security: 'none' })
  assert.equal(report.sent, 1)
  const [file] = fs.readdirSync(sink.inbox)
  const raw = fs.readFileSync(path.join(sink.inbox, file), 'utf8')
  assert.match(raw, new RegExp(`^Subject: \\[${ticket.folio}\\] `, 'm'))
  assert.match(raw, new RegExp(`^Message-ID: <${ticket.folio}\\.1-1\\.`, 'm'))
  assert.match(raw, /^Auto-Submitted: auto-generated/m)
  assert.match(raw, /^To: Ana <ana@example\.com>/m)
})

test('bad SMTP settings name the field', async () => {
  const d = await desk()
  await assert.rejects(d.deliverSmtp({ host: ' ', port: 25 }), (e) =>
    e instanceof FoliodeskError && e.code === 'VALIDATION' && e.field === 'smtp.host')
})

test('a survey token rates once without a login', async () => {
  const { Desk } = require('..')
  const { SLA } = require('./fixture')
  const d = await Desk.open('memory://', { ...SLA, notifications: { survey_url: 'https://portal.example/rate?token={token}' } }, { now: MONDAY })
  for (const u of [{ id: 'ana', name: 'Ana', role: 'requester' }, { id: 'bob', name: 'Bob', role: 'agent', level: 'n1', teams: ['service-desk'] },
    { id: 'sue', name: 'Sue', role: 'supervisor', level: 'n1', teams: ['service-desk'] }]) {
    await d.putUser(SYSTEM, { ...u, email: `${u.id}@example.com` })
  }
  const t = await open(d, 'ana', 'Sin impresora')
  await d.assign('sue', t.id, { assignee: 'bob' })
  await d.proposeSolution('bob', t.id, 'Driver reinstalado')
  await d.confirmSolution('ana', t.id)
  d.setNow(new Date(MONDAY.getTime() + 61e3))
  const sent = []
  while ((await d.deliver((m) => { sent.push(m) })).sent) { /* drain */ }
  const invite = sent.find((m) => m.to === 'ana@example.com' && m.text.includes('rate?token='))
  const token = invite.text.split('rate?token=')[1].split(/\s/)[0]
  await assert.rejects(d.rateWithToken(token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'), 5),
    (e) => e instanceof FoliodeskError && e.field === 'token')
  assert.equal((await d.rateWithToken(token, 5, { comment: '¡Gracias!' })).satisfaction.score, 5)
  await assert.rejects(d.rateWithToken(token, 4), /already used/)
})

test('a webhook is retried until the receiver accepts, each POST signed', async (t) => {
  const crypto = require('node:crypto')
  const http = require('node:http')
  const answers = [503, 500, 200]
  const seen = []
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      seen.push({ ts: req.headers['x-foliodesk-timestamp'], sig: req.headers['x-foliodesk-signature'], body: Buffer.concat(chunks) })
      res.writeHead(answers[Math.min(seen.length, answers.length) - 1]).end()
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => server.close())
  const d = await desk()
  await addressed(d)
  await open(d, 'ana', 'Webhook')
  const hook = { url: `http://127.0.0.1:${server.address().port}/hook`, secret: 's3cret' }
  for (const [hours, expected] of [[0, 0], [1, 0], [2, 1]]) {
    d.setNow(new Date(MONDAY.getTime() + hours * 3600e3 + 61e3))
    assert.equal((await d.deliverWebhook(hook)).sent, expected)
  }
  const last = seen[seen.length - 1]
  const mac = crypto.createHmac('sha256', 's3cret').update(`${last.ts}.`).update(last.body).digest('hex')
  assert.equal(last.sig, `sha256=${mac}`)
  assert.equal(new Set(seen.map((s) => JSON.parse(s.body).message_id)).size, 1, 'one Message-ID for every try')
})
