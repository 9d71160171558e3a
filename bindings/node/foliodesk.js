'use strict'
// Foliodesk for Node: every Desk operation as a camelCase method returning a Promise (the
// work runs off the event loop; the methods are generated in operations.js from the Rust
// description). Conversion follows the schema, never key names: instants are Date,
// durations milliseconds, record keys camelCase, while user-chosen map keys and
// configuration documents keep theirs. Errors carry a stable `code` and `field`.

const native = require('./native.js')
const { Operations, OPERATIONS, SHAPES } = require('./operations.js')

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

/** The field shapes of a record, or of the union variant `data` is. */
function fieldsOf(shape, data) {
  if (!shape || typeof shape !== 'object' || Array.isArray(shape)) return {}
  for (const v of shape.u ?? []) {
    if (Object.entries(v.c).every(([k, c]) => data[k] === c || data[camel(k)] === c)) return v.f
  }
  return shape.f ?? {}
}

const table = (shape) => (typeof shape === 'string' && shape.length > 1 ? SHAPES[shape] : shape)

/** JS → wire by `shape`: record keys to snake_case, Dates to ISO strings, milliseconds to
 * seconds, undefined dropped; maps and documents keep their keys. `path` names where
 * `value` sits, so a bad nested value is named in full (`security.discovered_at`). */
function toWire(value, shape, path) {
  if (value === undefined || value === null) return value
  if (shape === 't') return instant(path, value)
  if (shape === 'd') return millis(path, value) / 1000
  if (value instanceof Date) return instant(path, value)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(shape)) {
    const [kind, inner] = shape
    if (kind === 'l' && Array.isArray(value)) return value.map((v, i) => toWire(v, inner, `${path}[${i}]`))
    if (kind === 'p' && Array.isArray(value)) return value.map((v, i) => toWire(v, inner[i], `${path}[${i}]`))
    if (kind === 'm' && typeof value === 'object') return mapValues(value, (v, k) => toWire(v, inner, `${path}.${k}`))
    return value
  }
  const s = table(shape)
  if (!s || s.v || typeof value !== 'object' || Array.isArray(value)) return plain(value, path)
  const out = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue
    const key = snake(k)
    out[key] = toWire(v, fieldsOf(s, value)[key], path ? `${path}.${key}` : key)
  }
  return out
}

/** A value without a shape: Dates still become instants, keys stay as given. */
function plain(value, path) {
  if (value instanceof Date) return instant(path, value)
  // Raw bytes (an e-mail) travel as base64.
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}[${i}]`))
  if (value && typeof value === 'object') return mapValues(value, (v, k) => plain(v, `${path}.${k}`))
  return value
}

function mapValues(obj, f) {
  const out = {}
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null) out[k] = f(v, k)
  return out
}

/** wire → JS by `shape`: record keys to camelCase, instants to Date, seconds to ms, base64
 * to a Buffer. */
function fromWire(value, shape) {
  if (value === undefined || value === null || shape === null || shape === undefined) return value
  if (shape === 't') return new Date(value)
  if (shape === 'd') return value * 1000
  if (shape === 'b') return Buffer.from(value, 'base64')
  if (Array.isArray(shape)) {
    const [kind, inner] = shape
    if (kind === 'l') return value.map((v) => fromWire(v, inner))
    if (kind === 'p') return value.map((v, i) => fromWire(v, inner[i]))
    return mapValues(value, (v) => fromWire(v, inner))
  }
  const s = table(shape)
  if (!s || s.v) return value
  const fields = fieldsOf(s, value)
  const out = {}
  for (const [k, v] of Object.entries(value)) out[camel(k)] = fromWire(v, fields[k])
  return out
}

function unwrap(text) {
  const r = JSON.parse(text)
  if (r.error) throw new FoliodeskError(r.error.code, r.error.message, r.error.field)
  return r.ok
}

/** Builds an operation's arguments: the positional ones, then `options` (camelCase keys):
 * an optional argument by name, or a field of a record argument the operation spreads. */
function argumentsOf(op, given, options) {
  const spec = OPERATIONS[op]
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    const known = Object.keys(spec.args).filter((a) => !(a in given)).map(camel)
    throw invalid('options', `${op} takes its optional arguments as an object: { ${known.join(', ')} }`)
  }
  const args = { ...given }
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue
    const name = snake(key)
    if (name in spec.args && !(name in given)) {
      args[name] = value
      continue
    }
    const owner = Object.keys(spec.spread).find((a) => spec.spread[a].includes(name))
    if (!owner) {
      const known = Object.keys(spec.args).filter((a) => !(a in given)).map(camel)
      throw invalid(key, `not an option of ${op}: ${known.join(', ')}`)
    }
    args[owner] = { ...(args[owner] ?? {}), [key]: value }
  }
  const wire = {}
  for (const [name, value] of Object.entries(args)) {
    if (value !== undefined && value !== null) wire[name] = toWire(value, spec.args[name], name)
  }
  return wire
}

/** `e` with the batch-relative `tickets[i]` of its field counted from the import's start. */
function shifted(e, offset) {
  const m = e instanceof FoliodeskError && e.field ? /^tickets\[(\d+)\]/.exec(e.field) : null
  if (!m || offset === 0) return e
  const field = `tickets[${Number(m[1]) + offset}]` + e.field.slice(m[0].length)
  return invalid(field, e.message.split(': ').slice(1).join(': '))
}

/** A help desk over one storage backend. Thread-safe; share one per process. */
class Desk extends Operations {
  #native
  constructor(handle) {
    super()
    this.#native = handle
  }

  /** Opens the desk at `url` (sqlite://desk.db, postgres://…, mysql://…, redb://…,
   * memory://). `config` (the TOML structure, keys as in the file) or `{ configPath }`
   * replaces the stored configuration; `{ now }` stops the clock. */
  static async open(url, config, options = {}) {
    let configJson = null
    let configPath = options.configPath ?? null
    if (typeof config === 'string') configPath = config
    else if (config) configJson = JSON.stringify(plain(config, 'config'))
    const now = options.now ? instant('now', options.now) : null
    const r = await native.openDesk(url, configJson, configPath, now)
    if (typeof r === 'string') unwrap(r)
    return new Desk(r)
  }

  async _call(op, given, options) {
    const wire = argumentsOf(op, given, options)
    return fromWire(unwrap(await this.#native.call(op, JSON.stringify(wire))), OPERATIONS[op].result)
  }

  /** One delivery pass with `send` as the transport: claims the ready notifications of up
   * to `tickets` tickets, awaits `send(message)` for each message, then settles. Resolving
   * means sent; rejecting with an error whose `permanent` is true dead-letters the
   * message's notifications; any other rejection retries them after a backoff. */
  async deliver(send, options = {}) {
    const batch = await this.claimMessages(options)
    const outcomes = []
    for (const message of batch.messages) {
      const outcome = { rows: message.rows, attempts: message.attempts }
      try {
        await send(message)
      } catch (e) {
        outcome.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
        outcome.permanent = Boolean(e && e.permanent)
      }
      outcomes.push(outcome)
    }
    const settled = await this.settleMessages(outcomes)
    const total = {}
    for (const key of Object.keys(settled)) total[key] = settled[key] + batch.report[key]
    return total
  }

  /** Imports `tickets` from another help desk — an array or any iterable, sync or async,
   * read lazily — `batchSize` (default 1000) per transaction (see `importTickets`); after
   * each commit `onProgress({ done, imported, skipped })` gets the running totals. A
   * refused ticket rejects with VALIDATION naming it from the start (`tickets[1203].…`);
   * the batches before it stay committed, and running the same import again resumes. */
  async importAll(actor, tickets, options = {}) {
    const size = options.batchSize ?? 1000
    if (!Number.isInteger(size) || size < 1) throw invalid('batchSize', 'must be a whole number of at least 1')
    const progress = { done: 0, imported: 0, skipped: 0 }
    const outcomes = []
    let chunk = []
    const flush = async () => {
      let done
      try {
        done = await this.importTickets(actor, chunk)
      } catch (e) {
        throw shifted(e, progress.done)
      }
      progress.done += chunk.length
      progress.imported += done.imported
      progress.skipped += done.skipped
      outcomes.push(...done.tickets)
      chunk = []
      if (options.onProgress) await options.onProgress({ ...progress })
    }
    for await (const ticket of tickets) {
      chunk.push(ticket)
      if (chunk.length === size) await flush()
    }
    if (chunk.length > 0) await flush()
    return { imported: progress.imported, skipped: progress.skipped, tickets: outcomes }
  }

  /** Moves the clock of a desk opened with `{ now }`. */
  setNow(now) {
    unwrap(this.#native.setNow(instant('now', now)))
  }

  /** `close()` closes the desk: its files and connections are released (the same file
   * opens again at once) and later calls reject with VALIDATION (field `desk`).
   * `close(actor, id, { note })` is the owner's review closing ticket `id`. */
  close(actor, id, options) {
    if (actor === undefined && id === undefined) return this.#native.close()
    return super.close(actor, id, options)
  }
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
