'use strict'
// Times the operations of benches/bindings.rs through the Node binding; prints
// "<operation> <µs per call>". Run by that bench (`cargo bench --bench bindings`).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Desk, Calendar, SYSTEM } = require('../../bindings/node')

const SECONDS = Number(process.argv[2] ?? 3)
const MADRID = {
  timezone: 'Europe/Madrid',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '14:00'], ['15:00', '18:00']]])),
  holidays: ['2026-03-19', '2026-04-02', '2026-04-03', '2026-05-01', '05-15', '08-15', '10-12', '11-01', '12-08', '12-25', '01-01', '01-06'],
}

async function perCall(f) {
  for (let i = 0; i < 100; i++) await f()
  let n = 0
  const t0 = process.hrtime.bigint()
  let elapsed = 0
  while (elapsed < SECONDS * 1e9) {
    await f()
    n++
    elapsed = Number(process.hrtime.bigint() - t0)
  }
  return elapsed / n / 1e3
}

function perCallSync(f) {
  for (let i = 0; i < 100; i++) f()
  let n = 0
  const t0 = process.hrtime.bigint()
  let elapsed = 0
  while (elapsed < SECONDS * 1e9) {
    f()
    n++
    elapsed = Number(process.hrtime.bigint() - t0)
  }
  return elapsed / n / 1e3
}

async function opener(url) {
  const desk = await Desk.open(url)
  await desk.putUser(SYSTEM, { id: 'ana', name: 'Ana', role: 'requester' })
  let count = 0
  const description = 'The VPN client says the certificate is invalid since this morning.'
  return () =>
    desk.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title: `VPN down ${count++}`, description })
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-overhead-'))
  console.log(`open_ticket_memory ${(await perCall(await opener('memory://'))).toFixed(1)}`)
  console.log(`open_ticket_sqlite ${(await perCall(await opener(`sqlite://${tmp}/node.db`))).toFixed(1)}`)
  const cal = new Calendar(MADRID)
  const start = new Date('2026-03-16T09:00:00Z')
  console.log(`calendar_4h ${perCallSync(() => cal.addBusinessTime(start, 4 * 3600e3)).toFixed(2)}`)
  fs.rmSync(tmp, { recursive: true, force: true })
}

main()
