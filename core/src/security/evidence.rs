//! The auditor's evidence for information-security incidents (ISO/IEC 27001:2022, Annex A
//! 5.24–5.28), as Markdown: for one incident, the record's questions and answers, the
//! timeline of who did what, the hash-chain proof, the desk anchor and the verification
//! result; for a period, the register of security incidents. Pure text from what the
//! caller read, so the PDF renders exactly the same words.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::EventEnvelope;
use crate::ticket::Ticket;
use crate::Verification;

/// Where the incident's history stands against the desk anchor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AnchorProof {
    /// The newest checkpoint's number (0: none taken yet).
    pub checkpoint: u64,
    /// Its hash: the desk anchor.
    pub anchor: Option<String>,
    /// When it was taken.
    pub taken_at: Option<DateTime<Utc>>,
    /// Whether it carries a signature that verified.
    pub signed: bool,
    /// The incident's head as the anchor records it: (event number, hash).
    pub head: Option<(u64, String)>,
    /// Whether that head is the hash of the event with that number in the chain read now.
    pub head_matches: bool,
    /// A problem found in the checkpoint chain, if any.
    pub finding: Option<String>,
}

fn cell(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.replace('|', "\\|")
}

fn short(text: &str, max: usize) -> String {
    let t = cell(text);
    match t.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t,
    }
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "—".into(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// What an event changed, in a line: its scalar fields as `key=value`.
fn detail(e: &EventEnvelope) -> String {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::to_value(&e.event) else {
        return String::new();
    };
    // Events are written `{"type": …, "data": {…}}`.
    if let Some(serde_json::Value::Object(data)) = map.remove("data") {
        map = data;
    }
    let parts: Vec<String> = map
        .iter()
        .filter(|(k, _)| k.as_str() != "type")
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some(format!("{k}={}", short(s, 60))),
            serde_json::Value::Number(n) => Some(format!("{k}={n}")),
            serde_json::Value::Bool(b) => Some(format!("{k}={b}")),
            _ => None,
        })
        .collect();
    short(&parts.join(", "), 110)
}

/// The incident's report, for an auditor.
pub fn incident_markdown(
    ticket: &Ticket,
    events: &[EventEnvelope],
    verification: &Verification,
    anchor: &AnchorProof,
    generated_at: DateTime<Utc>,
) -> String {
    let mut md = String::new();
    let line = |md: &mut String, s: String| {
        md.push_str(&s);
        md.push('\n');
    };
    let r = ticket.security.clone().unwrap_or_default();
    line(&mut md, format!("# Security incident {}", ticket.folio));
    line(&mut md, String::new());
    line(&mut md, cell(&ticket.title));
    line(&mut md, String::new());
    line(
        &mut md,
        format!(
            "Generated {} from the desk's tamper-evident history.",
            when(Some(generated_at))
        ),
    );
    line(&mut md, String::new());
    line(
        &mut md,
        "## Classification (A.5.25 assessment and decision)".into(),
    );
    line(&mut md, String::new());
    line(&mut md, "| Field | Value |".into());
    line(&mut md, "| --- | --- |".into());
    let category = ticket.category.as_ref().map_or("—", |c| c.as_str());
    let severity = r.severity.map_or("—", |s| s.as_str());
    let rows = [
        ("Category", category.to_owned()),
        ("Severity", severity.to_owned()),
        ("Priority", format!("P{}", ticket.priority.get())),
        (
            "Impact / urgency",
            format!("{} / {}", ticket.impact.get(), ticket.urgency.get()),
        ),
        ("Status", ticket.status.as_str().to_owned()),
        (
            "Team / technician",
            format!(
                "{} / {}",
                ticket.team.as_ref().map_or("—", |t| t.as_str()),
                ticket.assignee.as_ref().map_or("—", |u| u.as_str())
            ),
        ),
        ("Registered", when(ticket.milestones.opened_at)),
        ("Solved", when(ticket.milestones.resolved_at)),
        (
            "Closed",
            when(
                ticket
                    .milestones
                    .closed_at
                    .or(ticket.milestones.cancelled_at),
            ),
        ),
    ];
    for (k, v) in rows {
        line(&mut md, format!("| {k} | {} |", cell(&v)));
    }
    line(&mut md, String::new());
    line(
        &mut md,
        "## The record (A.5.24 planning, A.5.26 response)".into(),
    );
    line(&mut md, String::new());
    line(&mut md, "| Question | Answer |".into());
    line(&mut md, "| --- | --- |".into());
    let text = |o: &Option<String>| o.as_deref().map_or("—".to_owned(), cell);
    let answers = [
        ("Where was it discovered?", text(&r.discovered_where)),
        ("When was it discovered?", when(r.discovered_at)),
        ("Who discovered it?", text(&r.discovered_by)),
        (
            "Did the discoverer report or conceal it?",
            r.discoverer_action
                .map_or("—".into(), |a| a.as_str().to_owned()),
        ),
        ("To whom was it reported?", text(&r.reported_to)),
        ("When was the report written?", when(r.report_written_at)),
        (
            "When did the responsible person learn of it?",
            when(r.responsible_learned_at),
        ),
        (
            "What did the responsible person do?",
            text(&r.responsible_action),
        ),
        (
            "Who carried out the follow-up control? (A.5.27)",
            text(&r.follow_up_by),
        ),
        ("When was the follow-up control done?", when(r.follow_up_at)),
        ("Solution", text(&ticket.solution)),
        (
            "Linked problem (root cause)",
            ticket
                .problem_id
                .as_ref()
                .map_or("—".into(), |p| p.to_string()),
        ),
    ];
    for (q, a) in answers {
        line(&mut md, format!("| {q} | {a} |"));
    }
    line(&mut md, String::new());
    line(&mut md, "## Timeline (A.5.26 response)".into());
    line(&mut md, String::new());
    line(&mut md, "| # | When | Who | What | Detail |".into());
    line(&mut md, "| --- | --- | --- | --- | --- |".into());
    for e in events {
        line(
            &mut md,
            format!(
                "| {} | {} | {} | {} | {} |",
                e.sequence,
                when(Some(e.at)),
                cell(e.actor.as_str()),
                e.event.type_name(),
                detail(e)
            ),
        );
    }
    line(&mut md, String::new());
    line(
        &mut md,
        "## Evidence (A.5.28 collection of evidence)".into(),
    );
    line(&mut md, String::new());
    line(
        &mut md,
        "Each event's hash covers its content and the previous event's hash (SHA-256):".into(),
    );
    line(&mut md, String::new());
    line(&mut md, "| # | Previous hash | Hash |".into());
    line(&mut md, "| --- | --- | --- |".into());
    for e in events {
        line(
            &mut md,
            format!("| {} | {} | {} |", e.sequence, e.prev_hash, e.hash),
        );
    }
    line(&mut md, String::new());
    let chain = match &verification.first_broken {
        None => format!("INTACT: all {} events verified.", verification.checked),
        Some((seq, breach)) => format!("BROKEN at event {seq}: {breach:?}."),
    };
    line(&mut md, format!("- Hash chain: {chain}"));
    match &anchor.anchor {
        Some(hash) => {
            line(
                &mut md,
                format!(
                    "- Desk anchor: checkpoint {} taken {}, hash {hash}{}.",
                    anchor.checkpoint,
                    when(anchor.taken_at),
                    if anchor.signed {
                        ", signature verified"
                    } else {
                        ", unsigned"
                    }
                ),
            );
            let head = match &anchor.head {
                Some((seq, h)) if anchor.head_matches => {
                    format!("covers events 1–{seq} (head {h}): MATCHES the chain.")
                }
                Some((seq, h)) => format!("records event {seq} as {h}: DOES NOT MATCH the chain."),
                None => "does not cover this incident yet (take a checkpoint).".into(),
            };
            line(&mut md, format!("- The anchor {head}"));
        }
        None => line(&mut md, "- Desk anchor: no checkpoint taken yet.".into()),
    }
    if let Some(f) = &anchor.finding {
        line(&mut md, format!("- Checkpoint chain: {}", cell(f)));
    }
    let verdict = verification.is_intact()
        && anchor.finding.is_none()
        && (anchor.head.is_none() || anchor.head_matches);
    line(
        &mut md,
        format!(
            "- Verification result: {}",
            if verdict { "PASSED" } else { "FAILED" }
        ),
    );
    md
}

/// One security incident in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegisterEntry {
    /// Its folio.
    pub folio: String,
    /// Its title.
    pub title: String,
    /// Registered.
    pub opened_at: Option<DateTime<Utc>>,
    /// Category.
    pub category: Option<String>,
    /// Severity.
    pub severity: Option<String>,
    /// Priority 1–5.
    pub priority: u8,
    /// Status.
    pub status: String,
    /// Closed or cancelled.
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether its hash chain verified.
    pub chain_intact: bool,
}

impl RegisterEntry {
    /// The entry of `ticket`, whose chain verified as `intact`.
    pub fn of(ticket: &Ticket, intact: bool) -> RegisterEntry {
        let m = &ticket.milestones;
        RegisterEntry {
            folio: ticket.folio.clone(),
            title: ticket.title.clone(),
            opened_at: m.opened_at,
            category: ticket.category.as_ref().map(|c| c.as_str().to_owned()),
            severity: (ticket.security.as_ref())
                .and_then(|s| s.severity.map(|s| s.as_str().to_owned())),
            priority: ticket.priority.get(),
            status: ticket.status.as_str().to_owned(),
            closed_at: m.closed_at.or(m.cancelled_at),
            chain_intact: intact,
        }
    }
}

/// The register of the security incidents registered in `period` (a caption).
pub fn register_markdown(
    period: &str,
    entries: &[RegisterEntry],
    generated_at: DateTime<Utc>,
) -> String {
    let mut md = format!(
        "# Register of information-security incidents\n\nPeriod: {}. Generated {}.\n\n",
        cell(period),
        when(Some(generated_at))
    );
    md.push_str("ISO/IEC 27001:2022 Annex A: 5.24 planning and preparation (this register and the desk's process), 5.25 assessment and decision (classification, severity), 5.26 response (status, closure), 5.27 learning (each incident's report), 5.28 collection of evidence (hash chains).\n\n");
    md.push_str("| Folio | Registered | Title | Category | Severity | Priority | Status | Closed | Chain |\n");
    md.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for e in entries {
        let o = |s: &Option<String>| s.as_deref().map_or("—".to_owned(), cell);
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | P{} | {} | {} | {} |\n",
            e.folio,
            when(e.opened_at),
            short(&e.title, 40),
            o(&e.category),
            o(&e.severity),
            e.priority,
            e.status,
            when(e.closed_at),
            if e.chain_intact { "intact" } else { "BROKEN" }
        ));
    }
    let open = entries.iter().filter(|e| e.closed_at.is_none()).count();
    md.push_str(&format!(
        "\n{} incidents, {} still open.\n",
        entries.len(),
        open
    ));
    md
}
