// Type declarations of the `foliodesk` package (the generated native layer's are in
// native.d.ts). Instants are `Date`; durations are milliseconds; keys are camelCase.

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

export type Role = 'requester' | 'agent' | 'supervisor' | 'admin' | 'system'
export type Level = 'n1' | 'n2' | 'n3'
export type Status = 'new' | 'open' | 'pending' | 'resolved' | 'confirmed' | 'closed' | 'cancelled'
export type Visibility = 'public' | 'internal'
export type WaitingOn = 'requester' | 'third_party' | 'change_window'
export type SlaState = 'running' | 'at_risk' | 'paused' | 'met' | 'breached'
export type Target = 'first_response' | 'resolution' | 'update'

export interface User {
  id: string
  name: string
  role: Role
  email?: string | null
  level?: Level | null
  teams?: string[]
  organisation?: string | null
  tier?: string | null
  active?: boolean
}
/** `serves`: the organisations whose tickets the team's members see; null or absent = all. */
export interface Team { id: string; name: string; level: Level; supervisor?: string | null; serves?: string[] | null }
export interface Organisation { id: string; name: string; tier?: string | null; services?: string[] | null }

export interface NewTicket {
  kind: 'incident' | 'service_request' | 'problem' | string
  channel: string
  requester: string
  title: string
  description?: string
  organisation?: string
  services?: string[]
  configurationItems?: string[]
  category?: string
  tags?: string[]
  impact?: number
  urgency?: number
  usersAffected?: number
  team?: string
  assignee?: string
  [more: string]: unknown
}

export interface Comment { number: number; author: string; at: Date; body: string; visibility: Visibility }
export interface Ticket {
  id: string
  folio: string
  kind: string
  channel: string
  title: string
  description: string
  requester: string
  organisation: string | null
  category: string | null
  priority: number
  status: Status
  level: Level
  team: string | null
  assignee: string | null
  watchers: string[]
  comments: Comment[]
  solution: string | null
  reopenCount: number
  milestones: Record<string, Date | null>
  /** The earliest due instant of the running SLA targets (null when none runs). */
  slaDue: Date | null
  version: number
  [more: string]: unknown
}
export interface EventEnvelope {
  ticketId: string
  sequence: number
  at: Date
  actor: string
  event: { type: string; data?: unknown }
  prevHash: string
  hash: string
}
export interface Page { items: Ticket[]; next: string | null }
export interface TicketFilter {
  status?: Status[]
  kind?: string[]
  team?: string
  assignee?: string
  unassigned?: boolean
  requester?: string
  /** Without an organisation, or of one of these (staff queries are narrowed to their scope). */
  organisationIn?: string[]
  involving?: string
  organisation?: string
  minPriority?: number
  category?: string
  openedFrom?: Date
  openedTo?: Date
  updatedFrom?: Date
  updatedTo?: Date
  /** A running SLA target is due at or before this instant (breached: now). */
  slaDueBy?: Date
}
export interface PageRequest { after?: string; limit?: number; newestFirst?: boolean }
export interface TargetView {
  target: Target
  budget: number
  due: Date | null
  elapsed: number
  remaining: number
  state: SlaState
  stoppedAt: Date | null
  levels: { level: Level; used: number; budget: number | null }[]
}
export interface SlaView { policy: string; calendar: string; at: Date; targets: TargetView[] }
export interface Crossing { at: Date; target: Target; percent: number; repeat: number; actions: string[] }
export interface TickReport { autoConfirmed: string[]; slaAlerts: [string, Crossing][]; rescheduled: number }
export interface Schedule { dueAt: Date | null; slaDue: Date | null }
export interface TicketChange {
  ticket: string
  folio: string
  before: Schedule
  after: Schedule
  policy: [string | null, string | null]
  states: { target: Target; before: SlaState | null; after: SlaState | null }[]
  alertsNow: Crossing[]
}
export interface Reconfiguration { applied: boolean; openTickets: number; changes: TicketChange[]; rescheduled: number }
export interface Checkpoint {
  seq: number
  at: Date
  prev: string
  heads: { ticketId: string; version: number; hash: string }[]
  tickets: number
  root: string
  /** The desk's anchor when this is the newest checkpoint: publish or sign it elsewhere. */
  hash: string
}
export type Finding =
  | { finding: 'broken_checkpoint'; seq: number; reason: string }
  | { finding: 'deleted_ticket'; ticket: string }
  | { finding: 'truncated_tail'; ticket: string; anchored: number; found: number }
  | { finding: 'replaced_history'; ticket: string; sequence: number }
  | { finding: 'broken_chain'; ticket: string; sequence: number; breach: string }
  | { finding: 'projection_mismatch'; ticket: string; detail: string }
export interface DeskVerification { anchor: string | null; checkpoints: number; tickets: number; findings: Finding[] }
export interface Verification { checked: number; firstBroken: unknown | null }
export interface OutboxMessage {
  id: number
  notification: { recipient: string; ticketId: string; folio: string; sequence: number; event: string; public: boolean }
}

export declare class Desk {
  static open(url: string, config?: object | string | null, options?: { now?: Date; configPath?: string }): Promise<Desk>
  setNow(now: Date): void
  config(): Promise<Record<string, unknown>>
  now(): Promise<Date>
  putUser(actor: string, user: User): Promise<null>
  user(id: string): Promise<User>
  users(): Promise<User[]>
  putOrganisation(actor: string, organisation: Organisation): Promise<null>
  organisation(id: string): Promise<Organisation>
  organisations(): Promise<Organisation[]>
  putTeam(actor: string, team: Team): Promise<null>
  team(id: string): Promise<Team>
  teams(): Promise<Team[]>
  openTicket(actor: string, ticket: NewTicket): Promise<Ticket>
  execute(actor: string, id: string, command: object): Promise<Ticket>
  ticket(actor: string, id: string): Promise<Ticket>
  ticketByFolio(actor: string, folio: string): Promise<Ticket>
  query(actor: string, filter?: TicketFilter, page?: PageRequest): Promise<Page>
  history(actor: string, id: string): Promise<EventEnvelope[]>
  verify(id: string): Promise<Verification>
  tick(): Promise<TickReport>
  tickAt(at: Date): Promise<TickReport>
  sla(actor: string, id: string): Promise<SlaView | null>
  slaAt(actor: string, id: string, at: Date): Promise<SlaView | null>
  simulateSla(actor: string, id: string, until: Date, candidate?: object): Promise<Crossing[]>
  reconfigure(actor: string, config: object, options?: { dryRun?: boolean }): Promise<Reconfiguration>
  checkpoint(): Promise<Checkpoint>
  verifyDesk(): Promise<DeskVerification>
  outbox(limit?: number): Promise<OutboxMessage[]>
  ackOutbox(ids: number[]): Promise<null>
  comment(actor: string, id: string, body: string, visibility?: Visibility): Promise<Ticket>
  assign(actor: string, id: string, to: { team?: string; assignee?: string }): Promise<Ticket>
  reclassify(actor: string, id: string, to: { kind?: string; category?: string }): Promise<Ticket>
  changePriority(actor: string, id: string, change: { impact?: number; urgency?: number; usersAffected?: number; manual?: number; clearManual?: boolean; reason?: string }): Promise<Ticket>
  setPending(actor: string, id: string, reason: string): Promise<Ticket>
  setWaiting(actor: string, id: string, waitingOn: WaitingOn, reason: string): Promise<Ticket>
  resume(actor: string, id: string): Promise<Ticket>
  escalate(actor: string, id: string, kind: 'functional' | 'hierarchical', reason: string, team?: string): Promise<Ticket>
  proposeSolution(actor: string, id: string, solution: string): Promise<Ticket>
  confirmSolution(actor: string, id: string): Promise<Ticket>
  rejectSolution(actor: string, id: string, reason: string): Promise<Ticket>
  rate(actor: string, id: string, score: number, comment?: string): Promise<Ticket>
  /** Closes the desk: files and connections are released; later calls reject. */
  close(): Promise<void>
  /** The owner's review closes ticket `id`. */
  close(actor: string, id: string, note?: string): Promise<Ticket>
  cancel(actor: string, id: string, reason: 'not_entitled' | 'duplicate' | 'spam' | 'withdrawn', note: string): Promise<Ticket>
  reopen(actor: string, id: string, reason: string): Promise<Ticket>
  addWatcher(actor: string, id: string, user: string): Promise<Ticket>
  updateSecurity(actor: string, id: string, record: object): Promise<Ticket>
}

export interface CalendarSpec {
  timezone: string
  hours?: Record<string, [string, string][]>
  holidays?: string[]
  workingDays?: Record<string, [string, string][]>
  horizonDays?: number
}

export declare class Calendar {
  constructor(spec: CalendarSpec, ics?: string)
  static fromIcs(ics: string, spec: CalendarSpec): Calendar
  static holidaysFromIcs(ics: string): string[]
  spec(): object
  addBusinessTime(start: Date, ms: number): Date
  businessTimeBetween(a: Date, b: Date): number
  isOpen(t: Date): boolean
  nextOpen(t: Date): Date
  nextClose(t: Date): Date
}

/** The actor id of the desk itself. */
export declare const SYSTEM: 'system'
export declare function operations(): string[]
export declare function version(): string
