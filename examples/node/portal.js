'use strict'
// Where a portal developer starts: an intranet endpoint's worth of calls. A requester
// reports an incident from the portal, sees their tickets (never the internal notes), the
// desk answers, and a background job sweeps SLA deadlines.
//
//   cd bindings/node && npm install && npm run build && cd ../..
//   node examples/node/portal.js [URL]          (default: a fresh SQLite file)

const os = require('node:os')
const path = require('node:path')
const fs = require('node:fs')
const { Desk, FoliodeskError, SYSTEM } = require('../../bindings/node')

async function main() {
  const file = path.join(os.tmpdir(), 'foliodesk-portal.db')
  for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true })
  const url = process.argv[2] ?? `sqlite://${file}`
  const desk = await Desk.open(url, path.join(__dirname, '..', 'foliodesk.toml'))

  // The directory usually mirrors the portal's users.
  await desk.putOrganisation(SYSTEM, { id: 'acme', name: 'ACME Logística', services: ['vpn', 'correo'] })
  await desk.putUser(SYSTEM, { id: 'ana', name: 'Ana Pérez', role: 'requester', organisation: 'acme' })
  await desk.putUser(SYSTEM, { id: 'bob', name: 'Bob', role: 'agent', level: 'n1', teams: ['service-desk'] })

  // POST /tickets
  const ticket = await desk.openTicket('ana', {
    kind: 'incident',
    channel: 'portal',
    requester: 'ana',
    title: 'Cannot reach the VPN',
    description: 'Since this morning the client says authentication failed.',
    category: 'Red/VPN',
    services: ['vpn'],
  })
  console.log(`Registered ${ticket.folio} with priority ${ticket.priority}`)

  // The service desk works it (usually another screen).
  await desk.assign('bob', ticket.id, { assignee: 'bob' })
  await desk.comment('bob', ticket.id, 'Probably the RADIUS certificate', { visibility: 'internal' })
  await desk.comment('bob', ticket.id, 'We are looking into it.')

  // GET /my/tickets — what the requester may see.
  const mine = await desk.query('ana', { limit: 20 })
  for (const t of mine.items) {
    console.log(`${t.folio} ${t.status.padEnd(9)} ${t.title} — ${t.comments.length} visible comment(s)`)
  }

  // GET /tickets/:id/sla — for the agent's screen.
  const sla = await desk.sla('bob', ticket.id)
  for (const target of sla?.targets ?? []) {
    const due = target.due ? target.due.toISOString() : '–'
    console.log(`  ${target.target.padEnd(15)} ${target.state.padEnd(8)} due ${due}`)
  }

  // Errors carry a stable code for the HTTP layer.
  try {
    await desk.confirmSolution('bob', ticket.id)
  } catch (e) {
    if (!(e instanceof FoliodeskError)) throw e
    console.log(`Refused as expected: ${e.code} (${e.message})`)
  }

  // A background job (setInterval in a real portal) sweeps what is due.
  const report = await desk.tick()
  console.log(`Tick: ${report.slaAlerts.length} SLA alert(s), ${report.autoConfirmed.length} auto-confirmed`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
