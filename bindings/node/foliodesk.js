'use strict'
// Foliodesk for Node: every Desk operation as a camelCase method returning a Promise (the
// work runs off the event loop), Date for instants, milliseconds for durations, plain
// objects with camelCase keys, and errors carrying a stable `code` and `field`.

const native = require('./native.js')

const INSTANT_KEYS = new Set(['at', 'due', 'until', 'now', 'sla_due', 'sla_due_by'])
const DURATION_KEYS = new Set(['budget', 'elapsed', 'remaining', 'used'])

/** Every Foliodesk error: `code` is NOT_FOUND, PERMISSION_DENIED, INVALID_TRANSITION,
 * VALIDATION, CONFLICT or STORAGE; `field` names the bad input for VALIDATION. */
class FoliodeskError extends Error {
  constructor(code, message, field) {
    super(message)
    this.name = 'FoliodeskError'
    this.code = code
    this.field = field ?? null
  }
}

const snake = (k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

function invalid(field, reason) {
  return new FoliodeskError('VALIDATION', `invalid ${field}: ${reason}`, field)
}

function instant(field, value) {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalid(field, 'expected a valid Date')
  }
  return value.toISOString()
}

function millis(field, value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(field, 'expected a duration in milliseconds')
  }
  return value
}

/** JS → wire: camelCase keys to snake_case, Dates to ISO strings, undefined dropped.
 * `path` names where `value` sits, so a bad nested value is named in full
 * (`security.discovered_at`). */
function toWire(value, path = '') {
  if (value instanceof Date) return instant(path || 'date', value)
  if (Array.isArray(value)) return value.map((v, i) => toWire(v, `${path}[${i}]`))
  if (value && typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue
      const key = snake(k)
      out[key] = toWire(v, path ? `${path}.${key}` : key)
    }
    return out
  }
  return value
}

/** wire → JS: snake_case keys to camelCase, instants to Date, durations (s) to ms. */
function fromWire(value, key) {
  if (Array.isArray(value)) return value.map((v) => fromWire(v))
  if (value && typeof value === 'object') {
    const out = {}
    for (const [k, v] of Object.entries(value)) out[camel(k)] = fromWire(v, k)
    return out
  }
  if (typeof value === 'string' && key && (INSTANT_KEYS.has(key) || key.endsWith('_at'))) {
    const d = new Date(value)
    return Number.isNaN(d.getTime()) ? value : d
  }
  if (typeof value === 'number' && DURATION_KEYS.has(key)) return value * 1000
  return value
}

function unwrap(text) {
  const r = JSON.parse(text)
  if (r.error) throw new FoliodeskError(r.error.code, r.error.message, r.error.field)
  return r.ok
}

/** A help desk over one storage backend. Thread-safe; share one per process. */
class Desk {
  #native
  constructor(handle) {
    this.#native = handle
  }

  /** Opens the desk at `url` (sqlite://desk.db, postgres://…, mysql://…, redb://…,
   * memory://). `config` (the TOML structure, snake_case keys as in the file) or
   * `{ configPath }` replaces the stored configuration; `{ now }` stops the clock. */
  static async open(url, config, options = {}) {
    let configJson = null
    let configPath = options.configPath ?? null
    if (typeof config === 'string') configPath = config
    else if (config) configJson = JSON.stringify(config)
    const now = options.now ? instant('now', options.now) : null
    const r = await native.openDesk(url, configJson, configPath, now)
    if (typeof r === 'string') unwrap(r)
    return new Desk(r)
  }

  async #call(op, args = {}, raw = {}) {
    // `raw` holds configuration documents: their keys are the file's, sent unchanged.
    const wire = { ...toWire(args) }
    for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== null) wire[k] = v
    return fromWire(unwrap(await this.#native.call(op, JSON.stringify(wire))))
  }

  /** Moves the clock of a desk opened with `{ now }`. */
  setNow(now) {
    unwrap(this.#native.setNow(instant('now', now)))
  }

  config() { return this.#call('config') }
  now() { return this.#call('now').then((t) => new Date(t)) }

  /** Creates or replaces a user, as `actor`: an admin, or SYSTEM (the host acting as the
   * desk itself, e.g. provisioning from its identity provider). */
  putUser(actor, user) { return this.#call('put_user', { actor, user }) }
  user(id) { return this.#call('user', { id }) }
  users() { return this.#call('users') }
  putOrganisation(actor, organisation) { return this.#call('put_organisation', { actor, organisation }) }
  organisation(id) { return this.#call('organisation', { id }) }
  organisations() { return this.#call('organisations') }
  /** `serves`: the organisations whose tickets the team's members see (all by default). */
  putTeam(actor, team) { return this.#call('put_team', { actor, team }) }
  team(id) { return this.#call('team', { id }) }
  teams() { return this.#call('teams') }

  /** Registers a ticket: { kind, channel, requester, title, description, category, … }. */
  openTicket(actor, ticket) { return this.#call('open_ticket', { actor, ticket }) }
  /** Runs any command in its JSON form. */
  execute(actor, id, command) { return this.#call('execute', { actor, id, command }) }
  ticket(actor, id) { return this.#call('ticket', { actor, id }) }
  ticketByFolio(actor, folio) { return this.#call('ticket_by_folio', { actor, folio }) }
  /** A page ({ items, next }) of the tickets `actor` may see matching `filter`. */
  query(actor, filter = {}, page = {}) { return this.#call('query', { actor, filter, page }) }
  history(actor, id) { return this.#call('history', { actor, id }) }
  verify(id) { return this.#call('verify', { id }) }

  tick() { return this.#call('tick') }
  tickAt(at) { return this.#call('tick_at', { at: instant('at', at) }) }
  sla(actor, id) { return this.#call('sla', { actor, id }) }
  slaAt(actor, id, at) { return this.#call('sla_at', { actor, id, at: instant('at', at) }) }
  /** The escalations that would fire until `until`; with `candidate` (an `sla` section,
   * snake_case keys as in the file) under that section instead. Stores nothing. */
  simulateSla(actor, id, until, candidate) {
    return this.#call('simulate_sla', { actor, id, until: instant('until', until) }, { candidate })
  }

  /** Reviews (`{ dryRun: true }`) or applies a new configuration (the TOML structure,
   * snake_case keys as in the file). Admins only. */
  reconfigure(actor, config, { dryRun = false } = {}) {
    return this.#call('reconfigure', { actor, dryRun }, { config })
  }
  /** Anchors every ticket's head; the checkpoint's `hash` is the desk's anchor. */
  checkpoint() { return this.#call('checkpoint') }
  /** Checks the whole desk against its checkpoints; names every problem found. */
  verifyDesk() { return this.#call('verify_desk') }
  outbox(limit = 100) { return this.#call('outbox', { limit }) }
  ackOutbox(ids) { return this.#call('ack_outbox', { ids }) }

  comment(actor, id, body, visibility = 'public') { return this.#call('comment', { actor, id, body, visibility }) }
  assign(actor, id, { team, assignee } = {}) { return this.#call('assign', { actor, id, team, assignee }) }
  reclassify(actor, id, { kind, category } = {}) { return this.#call('reclassify', { actor, id, kind, category }) }
  /** change: { impact, urgency, usersAffected, manual, clearManual, reason } */
  changePriority(actor, id, change) { return this.#call('change_priority', { actor, id, change }) }
  setPending(actor, id, reason) { return this.#call('set_pending', { actor, id, reason }) }
  /** waitingOn: 'requester' | 'third_party' | 'change_window' */
  setWaiting(actor, id, waitingOn, reason) { return this.#call('set_waiting', { actor, id, waitingOn, reason }) }
  resume(actor, id) { return this.#call('resume', { actor, id }) }
  /** kind: 'functional' | 'hierarchical' */
  escalate(actor, id, kind, reason, team) { return this.#call('escalate', { actor, id, kind, reason, team }) }
  proposeSolution(actor, id, solution) { return this.#call('propose_solution', { actor, id, solution }) }
  confirmSolution(actor, id) { return this.#call('confirm_solution', { actor, id }) }
  rejectSolution(actor, id, reason) { return this.#call('reject_solution', { actor, id, reason }) }
  rate(actor, id, score, comment) { return this.#call('rate', { actor, id, score, comment }) }
  /** `close()` closes the desk: its files and connections are released (the same file
   * opens again at once) and later calls reject with VALIDATION (field `desk`).
   * `close(actor, id, note)` is the owner's review closing ticket `id`. */
  close(actor, id, note) {
    if (actor === undefined && id === undefined) return this.#native.close()
    return this.#call('close', { actor, id, note })
  }
  /** reason: 'not_entitled' | 'duplicate' | 'spam' | 'withdrawn' */
  cancel(actor, id, reason, note) { return this.#call('cancel', { actor, id, reason, note }) }
  reopen(actor, id, reason) { return this.#call('reopen', { actor, id, reason }) }
  addWatcher(actor, id, user) { return this.#call('add_watcher', { actor, id, user }) }
  updateSecurity(actor, id, record) { return this.#call('update_security', { actor, id, record }) }
}

/** A business calendar: weekly hours in local wall time, holidays, an IANA time zone. */
class Calendar {
  #native
  /** spec: { timezone, hours: { mon: [['09:00', '14:00'], …] }, holidays, workingDays,
   * horizonDays }; `ics` adds the holidays of an iCalendar text. */
  constructor(spec, ics) {
    const s = {
      timezone: spec.timezone,
      hours: spec.hours ?? {},
      holidays: spec.holidays ?? [],
      working_days: spec.workingDays ?? {},
      horizon_days: spec.horizonDays ?? 1830,
    }
    const r = native.newCalendar(JSON.stringify(s), ics ?? null)
    if (typeof r === 'string') unwrap(r)
    this.#native = r
  }

  static fromIcs(ics, spec) { return new Calendar(spec, ics) }
  static holidaysFromIcs(ics) { return unwrap(native.icsHolidays(ics)) }

  spec() { return JSON.parse(this.#native.specJson()) }
  /** The earliest Date at which `ms` milliseconds of open time have elapsed from `start`. */
  addBusinessTime(start, ms) {
    return new Date(unwrap(this.#native.addBusinessTime(instant('start', start), millis('duration', ms))))
  }
  /** Open milliseconds in [a, b); negative when b is before a. */
  businessTimeBetween(a, b) { return unwrap(this.#native.businessTimeBetween(instant('a', a), instant('b', b))) }
  isOpen(t) { return unwrap(this.#native.isOpen(instant('t', t))) }
  nextOpen(t) { return new Date(unwrap(this.#native.nextOpen(instant('t', t)))) }
  nextClose(t) { return new Date(unwrap(this.#native.nextClose(instant('t', t)))) }
}

/** The actor id of the desk itself: the host provisioning the directory or configuring. */
const SYSTEM = 'system'

module.exports = { Desk, Calendar, FoliodeskError, SYSTEM, operations: native.operations, version: native.version }
