// Type declarations of the `foliodesk` package. Every type and operation is generated in
// operations.d.ts (`cargo run -p xtask -- bindings`); the native layer's are in
// native.d.ts. Instants are `Date`; durations are milliseconds; record keys are camelCase,
// while user-chosen map keys and configuration documents keep theirs.

import type {
  CalendarSpec,
  Config,
  DeliveryReport,
  ImportReport,
  ImportTicket,
  OutgoingMessage,
  Ticket,
  TicketId,
  UserId,
} from './operations'
import { Operations } from './operations'

export * from './operations'

/** Where a running `Desk.importAll` stands, after each committed batch. */
export interface ImportProgress {
  /** Tickets committed so far (written or skipped). */
  done: number
  /** Of which written. */
  imported: number
  /** Of which found already imported. */
  skipped: number
}

export type ErrorCode =
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'INVALID_TRANSITION'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'STORAGE'
  | 'REMOTE'

export declare class FoliodeskError extends Error {
  readonly code: ErrorCode
  /** The bad input, for VALIDATION errors. */
  readonly field: string | null
}

/** How `Desk.open` starts: a TOML file instead of `config`, and a fixed clock. */
export interface OpenOptions {
  configPath?: string
  now?: Date
}

/** A help desk over one storage backend. Thread-safe; share one per process. */
export declare class Desk extends Operations {
  /** Opens the desk at `url` (sqlite://desk.db, postgres://…, mysql://…, redb://…,
   * memory://). `config` (the TOML structure, keys as in the file) or `{ configPath }`
   * replaces the stored configuration; `{ now }` stops the clock. */
  static open(url: string, config?: Config | string | null, options?: OpenOptions): Promise<Desk>
  /** One delivery pass with `send` as the transport. Resolving means sent; rejecting
   * with an error whose `permanent` is true dead-letters the message's notifications; any
   * other rejection retries them after a backoff. */
  deliver(
    send: (message: OutgoingMessage) => Promise<unknown> | unknown,
    options?: { tickets?: number },
  ): Promise<DeliveryReport>
  /** Imports tickets from another help desk, `batchSize` (default 1000) per transaction;
   * `onProgress` gets the running totals after each commit. A refused ticket rejects with
   * VALIDATION naming it from the start; the batches before it stay committed, and the
   * same import run again resumes. */
  importAll(
    actor: UserId,
    tickets: Iterable<ImportTicket> | AsyncIterable<ImportTicket>,
    options?: {
      batchSize?: number
      onProgress?: (progress: ImportProgress) => Promise<unknown> | unknown
    },
  ): Promise<ImportReport>
  /** Moves the clock of a desk opened with `{ now }`. */
  setNow(now: Date): void
  /** Closes the desk: files and connections are released; later calls reject with
   * VALIDATION (field `desk`). */
  close(): Promise<void>
  /** The owner's final review closes the ticket. */
  close(actor: UserId, id: TicketId, options?: { note?: string | null }): Promise<Ticket>
}

/** A business calendar: weekly hours in local wall time, holidays, an IANA time zone. */
export declare class Calendar {
  constructor(spec: CalendarSpec, ics?: string)
  static fromIcs(ics: string, spec: CalendarSpec): Calendar
  static holidaysFromIcs(ics: string): string[]
  spec(): CalendarSpec
  /** The earliest Date at which `ms` milliseconds of open time have elapsed from `start`. */
  addBusinessTime(start: Date, ms: number): Date
  /** Open milliseconds in [a, b); negative when b is before a. */
  businessTimeBetween(a: Date, b: Date): number
  isOpen(t: Date): boolean
  nextOpen(t: Date): Date
  nextClose(t: Date): Date
}

/** The actor id of the desk itself: the host provisioning the directory or configuring. */
export declare const SYSTEM: 'system'
/** The operations the native layer dispatches. */
export declare function operations(): string[]
export declare function version(): string
