//! The one list of [`Desk`] operations, in the facade's order. Adding an operation here
//! adds it to the dispatcher, the description and (after `cargo run -p xtask -- bindings`)
//! to Python and Node.

use super::macros::operations;
use super::names::*;

operations! { |desk|
    /// The configuration in force, in the configuration file's structure.
    config() -> Config { Ok(desk.config()) }
    /// The desk's current instant.
    now() -> DateTime<Utc> { Ok(desk.now()) }
    /// Creates or replaces a user, as `actor`: an admin, or `SYSTEM` (the host acting as the
    /// desk itself, e.g. provisioning from its identity provider).
    put_user(actor: UserId, user: User) -> () { desk.put_user(actor, user).await }
    /// One user.
    user(id: UserId) -> User { desk.user(id).await }
    /// Every user.
    users() -> Vec<User> { desk.users().await }
    /// Creates or replaces an organisation, as an admin or `SYSTEM`.
    put_organisation(actor: UserId, organisation: Organisation) -> () {
        desk.put_organisation(actor, organisation).await
    }
    /// One organisation.
    organisation(id: String) -> Organisation { desk.organisation(&id).await }
    /// Every organisation.
    organisations() -> Vec<Organisation> { desk.organisations().await }
    /// Creates or replaces a team (`serves`: the organisations whose tickets its members
    /// see; all by default), as an admin or `SYSTEM`.
    put_team(actor: UserId, team: Team) -> () { desk.put_team(actor, team).await }
    /// One team.
    team(id: String) -> Team { desk.team(&id).await }
    /// Every team.
    teams() -> Vec<Team> { desk.teams().await }
    /// Registers a ticket: kind, channel, requester, title, description, category, impact,
    /// urgency, users affected, services…
    open_ticket(actor: UserId, ticket: NewTicket) -> Ticket, spread ticket {
        desk.open_ticket(actor, ticket).await
    }
    /// Runs any command in its JSON form (`{"command": "comment", "body": …}`).
    execute(actor: UserId, id: TicketId, command: Command) -> Ticket {
        desk.execute(actor, &id, command).await
    }
    /// One ticket as `actor` may see it.
    ticket(actor: UserId, id: TicketId) -> Ticket { desk.ticket(actor, &id).await }
    /// One ticket by its folio (`INC-2026-000042`).
    ticket_by_folio(actor: UserId, folio: String) -> Ticket { desk.ticket_by_folio(actor, &folio).await }
    /// A page of the tickets `actor` may see that match `filter` (status, team, assignee,
    /// requester, organisation, min_priority, category, opened_from…).
    query(
        actor: UserId,
        #[serde(default)] filter: TicketFilter,
        #[serde(default)] page: PageRequest,
    ) -> Page<Ticket>, spread filter, page {
        desk.query(actor, filter, page).await
    }
    /// A ticket's history as `actor` may see it.
    history(actor: UserId, id: TicketId) -> Vec<EventEnvelope> { desk.history(actor, &id).await }
    /// Checks a ticket's hash chain.
    verify(id: TicketId) -> Verification { desk.verify(&id).await }
    /// Runs what is due now: auto-confirmations, SLA alerts and escalations.
    tick() -> TickReport { desk.tick().await }
    /// Runs what is due at `at`.
    tick_at(at: DateTime<Utc>) -> TickReport { desk.tick_at(at).await }
    /// The ticket's SLA clocks now; none without a policy.
    sla(actor: UserId, id: TicketId) -> Option<SlaView> { desk.sla(actor, &id).await }
    /// The ticket's SLA clocks at `at`.
    sla_at(actor: UserId, id: TicketId, at: DateTime<Utc>) -> Option<SlaView> {
        desk.sla_at(actor, &id, at).await
    }
    /// The escalations that would fire until `until`; with `candidate` (an `sla` section),
    /// under that section instead of the one in force. Stores nothing. Staff only.
    simulate_sla(
        actor: UserId,
        id: TicketId,
        until: DateTime<Utc>,
        candidate: Option<SlaConfig>,
    ) -> Vec<Crossing> {
        desk.simulate_sla(actor, &id, until, candidate).await
    }
    /// Reviews (`dry_run`) or applies a new configuration. Admins only. The review lists
    /// what changes for every open ticket.
    reconfigure(actor: UserId, config: Config, #[serde(default)] dry_run: bool)
        -> Reconfiguration
    {
        desk.reconfigure(actor, config, dry_run).await
    }
    /// Anchors every ticket's head; the checkpoint's `hash` is the desk's anchor.
    checkpoint() -> Checkpoint { desk.checkpoint().await }
    /// Checks the whole desk against its checkpoints; names every problem found.
    verify_desk() -> DeskVerification { desk.verify_desk().await }
    /// Up to `limit` undelivered notifications, oldest first.
    outbox(#[serde(default = "default_limit")] limit: u32) -> Vec<OutboxMessage> {
        desk.outbox(limit).await
    }
    /// Marks notifications delivered.
    ack_outbox(ids: Vec<u64>) -> () { desk.ack_outbox(&ids).await }
    /// Leases the notifications of up to `tickets` ready tickets and writes their
    /// messages, one per person per ticket; settle them with `settle_messages`.
    claim_messages(#[serde(default = "default_tickets")] tickets: u32) -> Batch {
        desk.claim_messages(tickets).await
    }
    /// Records how sending went: acknowledged, retried after a backoff, or dead-lettered.
    settle_messages(outcomes: Vec<Outcome>) -> DeliveryReport {
        desk.settle_messages(outcomes).await
    }
    /// One delivery pass through an SMTP server.
    deliver_smtp(smtp: SmtpSettings, #[serde(default = "default_tickets")] tickets: u32)
        -> DeliveryReport
    {
        desk.deliver_smtp(smtp, tickets).await
    }
    /// One delivery pass through a webhook: each message POSTed as signed JSON.
    deliver_webhook(
        webhook: WebhookSettings,
        #[serde(default = "default_tickets")] tickets: u32,
    ) -> DeliveryReport {
        desk.deliver_webhook(webhook, tickets).await
    }
    /// Up to `limit` notifications the desk gave up on, with the reason.
    dead_letters(#[serde(default = "default_limit")] limit: u32) -> Vec<DeadLetter> {
        desk.dead_letters(limit).await
    }
    /// Puts dead letters back in the outbox; returns how many were dead.
    requeue_dead(ids: Vec<u64>) -> u64 { desk.requeue_dead(&ids).await }
    /// Records the requester's rating from the signed token of a survey invitation,
    /// without a login; a forged, altered, expired or used token is refused.
    rate_with_token(token: String, score: u8, #[serde(default)] comment: Option<String>)
        -> Ticket
    {
        desk.rate_with_token(token, score, comment).await
    }
    /// Adds a public comment or an internal note. A requester's comment on a pending ticket
    /// resumes it.
    comment(
        actor: UserId,
        id: TicketId,
        body: String,
        #[serde(default)] visibility: Visibility,
    ) -> Ticket {
        desk.comment(actor, &id, body, visibility).await
    }
    /// Routes to a team and/or technician. A new ticket becomes open.
    assign(actor: UserId, id: TicketId, team: Option<TeamId>, assignee: Option<UserId>) -> Ticket {
        desk.assign(actor, &id, team, assignee).await
    }
    /// Changes kind and/or category.
    reclassify(
        actor: UserId,
        id: TicketId,
        kind: Option<TicketKind>,
        category: Option<String>,
    ) -> Ticket {
        desk.reclassify(actor, &id, kind, category).await
    }
    /// Changes impact, urgency, users affected or the manual priority.
    change_priority(actor: UserId, id: TicketId, change: PriorityChange) -> Ticket, spread change {
        desk.change_priority(actor, &id, change).await
    }
    /// Takes in a message from any channel: opens a ticket, adds to the one it belongs to,
    /// or drops it saying why; the same message twice is a duplicate.
    ingest(message: InboundMessage) -> Ingested {
        desk.ingest(message).await
    }
    /// Reads a raw e-mail (RFC 5322 bytes) and takes it in.
    ingest_email(raw: Base64) -> Ingested {
        desk.ingest_email(&raw.0).await
    }
    /// Reads the new mail in an IMAP folder and takes each message in; flags or moves
    /// what it handled, quarantines what it cannot read, and resumes where it stopped.
    poll_imap(imap: ImapSettings) -> ImapPoll {
        desk.poll_imap(imap).await
    }
    /// Puts a file on a ticket (checked against `[attachments]`: size, type, name);
    /// requesters attach public files only.
    attach(
        actor: UserId,
        id: TicketId,
        name: String,
        content_type: String,
        content: Base64,
        #[serde(default)] visibility: Visibility,
    ) -> Ticket {
        desk.attach(actor, &id, name, content_type, content.0, visibility).await
    }
    /// The bytes of a file on a ticket, if `actor` may see it.
    attachment(actor: UserId, id: TicketId, sha256: String) -> Base64 {
        desk.attachment(actor, &id, &sha256).await.map(Base64)
    }
    /// Records a live contact (a call, a chat) as staff or `SYSTEM`; the same id again
    /// replaces it (rang, then answered and ended).
    record_contact(actor: UserId, contact: Contact) -> Contact {
        desk.record_contact(actor, contact).await
    }
    /// The contacts started in `[since, until)`, oldest first, a page at a time (staff
    /// only).
    contacts(
        actor: UserId,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        #[serde(default)] after: Option<ContactCursor>,
        #[serde(default = "default_contacts")] limit: u32,
    ) -> Vec<Contact> {
        desk.contacts(actor, since, until, after, limit).await
    }
    /// Imports tickets with their history from another help desk in one transaction, as an
    /// admin or `SYSTEM`: each step replayed at its original time, folios drawn, tickets
    /// imported before skipped (rerun an interrupted import), nobody notified. Bindings'
    /// `import_all` / `importAll` feed it in batches with a progress callback.
    import_tickets(actor: UserId, tickets: Vec<ImportTicket>) -> ImportReport {
        desk.import_tickets(actor, tickets).await
    }
    /// The canned responses `actor` may use, rendered for the ticket, by category.
    responses(actor: UserId, id: TicketId) -> Vec<CannedResponse> {
        desk.responses(actor, &id).await
    }
    /// The macros `actor` may apply.
    macros(actor: UserId) -> Vec<Macro> {
        desk.macros(actor).await
    }
    /// Applies a macro: its canned response, field changes and status in one append.
    apply_macro(actor: UserId, id: TicketId, macro_id: String) -> Ticket {
        desk.apply_macro(actor, &id, macro_id).await
    }
    /// Open work per team and agent, weighted by priority (supervisors and admins).
    workload(actor: UserId, #[serde(default)] team: Option<TeamId>) -> Vec<TeamLoad> {
        desk.workload(actor, team).await
    }
    /// What the classifier suggests for a ticket with this title and description: up to
    /// three categories, teams and priorities, each with its confidence (staff).
    suggest_classification(actor: UserId, title: String, #[serde(default)] description: String) -> Suggestion {
        desk.suggest_classification(actor, title, description).await
    }
    /// Teaches the classifier again from every solved ticket; returns how many taught it
    /// (supervisors).
    train_classifier(actor: UserId) -> u32 {
        desk.train_classifier(actor).await
    }
    /// Writes a draft knowledge-base article (staff); `translation_of` joins it to another
    /// article's translations.
    write_article(actor: UserId, draft: ArticleDraft) -> Article, spread draft {
        desk.write_article(actor, draft).await
    }
    /// One article, if `actor` may read it (requesters: published public ones).
    article(actor: UserId, id: String) -> Article { desk.article(actor, &id).await }
    /// The articles `actor` may read (by status, translations of one, source ticket), most
    /// recently changed first.
    articles(actor: UserId, #[serde(default)] filter: ArticleFilter) -> Vec<Article>, spread filter {
        desk.articles(actor, filter).await
    }
    /// Changes an article: `edit`, `submit`, `publish` and `send_back` (supervisors),
    /// `retire` (supervisors), `vote` (readers); every change of text or status is kept as
    /// a version.
    change_article(actor: UserId, id: String, action: ArticleAction) -> Article {
        desk.change_article(actor, &id, action).await
    }
    /// Turns a resolved ticket's solution into a draft article linked to it (staff).
    archive_to_knowledge(actor: UserId, id: TicketId) -> Article {
        desk.archive_to_knowledge(actor, &id).await
    }
    /// Solutions given alike to several tickets (`min_tickets`, default 3) and not archived
    /// yet: candidates for the knowledge base (staff).
    knowledge_suggestions(actor: UserId, #[serde(default)] min_tickets: Option<u32>) -> Vec<Recurring> {
        desk.knowledge_suggestions(actor, min_tickets).await
    }
    /// Sets a problem's root cause, workaround or state (`analysis`, `known_error`).
    update_problem(actor: UserId, id: TicketId, update: ProblemUpdate) -> Ticket, spread update {
        desk.update_problem(actor, &id, update).await
    }
    /// Links incident `id` to problem `problem` (moving it from another one).
    link_problem(actor: UserId, id: TicketId, problem: TicketId) -> Ticket {
        desk.link_problem(actor, &id, &problem).await
    }
    /// Undoes incident `id`'s link to its problem.
    unlink_problem(actor: UserId, id: TicketId) -> Ticket { desk.unlink_problem(actor, &id).await }
    /// The incidents linked to `problem`, oldest first (staff).
    problem_incidents(actor: UserId, problem: TicketId) -> Vec<Ticket> {
        desk.problem_incidents(actor, &problem).await
    }
    /// Proposes `solution` for `problem` and to each of its open incidents, which their
    /// requesters still validate; lists those it could not be proposed to.
    resolve_problem(actor: UserId, problem: TicketId, solution: String) -> ProblemResolution {
        desk.resolve_problem(actor, &problem, solution).await
    }
    /// Known errors whose workaround applies to incident `id`: its problem's, then similar.
    known_errors(actor: UserId, id: TicketId) -> Vec<KnownError> { desk.known_errors(actor, &id).await }
    /// Similar incidents opened within the window of `[problems]`: each suggests a problem.
    problem_suggestions(actor: UserId) -> Vec<Repeated> { desk.problem_suggestions(actor).await }
    /// Searches the knowledge base, best first: requesters the published public articles
    /// (the FAQ), staff also internal ones.
    search_articles(actor: UserId, #[serde(default)] query: SearchQuery) -> Vec<ArticleHit>, spread query {
        desk.search_articles(actor, query).await
    }
    /// Searches tickets by title, description, comments and solution, best first (staff).
    search_tickets(actor: UserId, #[serde(default)] query: SearchQuery) -> Vec<TicketHit>, spread query {
        desk.search_tickets(actor, query).await
    }
    /// The tickets most like ticket `id`, with their solutions, best first (staff).
    similar_tickets(
        actor: UserId,
        id: TicketId,
        #[serde(default)] query: SearchQuery,
    ) -> Vec<TicketHit>, spread query {
        desk.similar_tickets(actor, &id, query).await
    }
    /// Changes title, description, services, configuration items, possible causes,
    /// assigned resources, tags or users affected; each recorded before and after.
    edit(actor: UserId, id: TicketId, edit: TicketEdit) -> Ticket, spread edit {
        desk.edit(actor, &id, edit).await
    }
    /// Waits on the requester.
    set_pending(actor: UserId, id: TicketId, reason: String) -> Ticket {
        desk.set_pending(actor, &id, reason).await
    }
    /// Waits on the requester, a third party or a change window; the SLA policy says which
    /// clocks pause.
    set_waiting(actor: UserId, id: TicketId, waiting_on: WaitingOn, reason: String) -> Ticket {
        desk.set_waiting(actor, &id, waiting_on, reason).await
    }
    /// Stops waiting.
    resume(actor: UserId, id: TicketId) -> Ticket { desk.resume(actor, &id).await }
    /// Escalates by hand: `functional` (to a team of the next level) or `hierarchical` (to
    /// the supervisor).
    escalate(
        actor: UserId,
        id: TicketId,
        kind: EscalationKind,
        team: Option<TeamId>,
        reason: String,
    ) -> Ticket {
        desk.escalate(actor, &id, kind, team, reason).await
    }
    /// Proposes a solution for the requester to confirm or reject.
    propose_solution(actor: UserId, id: TicketId, solution: String) -> Ticket {
        desk.propose_solution(actor, &id, solution).await
    }
    /// The requester accepts the solution.
    confirm_solution(actor: UserId, id: TicketId) -> Ticket {
        desk.confirm_solution(actor, &id).await
    }
    /// The requester says it is not solved: back to open.
    reject_solution(actor: UserId, id: TicketId, reason: String) -> Ticket {
        desk.reject_solution(actor, &id, reason).await
    }
    /// The requester rates the service, 1 to 5, once.
    rate(actor: UserId, id: TicketId, score: u8, comment: Option<String>) -> Ticket {
        desk.rate(actor, &id, score, comment).await
    }
    /// The owner's final review closes the ticket.
    close(actor: UserId, id: TicketId, note: Option<String>) -> Ticket {
        desk.close(actor, &id, note).await
    }
    /// Cancels or rejects: `not_entitled`, `duplicate`, `spam` or `withdrawn`.
    cancel(actor: UserId, id: TicketId, reason: CancelReason, note: String) -> Ticket {
        desk.cancel(actor, &id, reason, note).await
    }
    /// Reopens a closed ticket within the configured window.
    reopen(actor: UserId, id: TicketId, reason: String) -> Ticket {
        desk.reopen(actor, &id, reason).await
    }
    /// Adds someone who is told of public changes.
    add_watcher(actor: UserId, id: TicketId, user: UserId) -> Ticket {
        desk.add_watcher(actor, &id, user).await
    }
    /// Adds to the ISO 27001 record (severity, discovered_at, discovered_by…).
    update_security(actor: UserId, id: TicketId, record: SecurityRecord) -> Ticket {
        desk.update_security(actor, &id, record).await
    }
}
