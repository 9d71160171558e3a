// Type declarations of the `foliodesk` package (the native layer's are in native.d.ts).
// Instants are `Date`; durations are milliseconds; record keys are camelCase, while
// user-chosen map keys and configuration documents keep theirs.

export type ErrorCode =
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'INVALID_TRANSITION'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'STORAGE'

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
