//! The operation list, continued: reports, the dashboard and audit evidence (see
//! [`super::list`]; one list split in files, in the facade's order).

use super::macros::operations;
use super::names::*;

operations! { |desk|
    /// The KPI report of `window` (local dates in a time zone, cut by day, week or month)
    /// for the desk or one `team`, with the previous window beside it, the series, the
    /// backlog and the calls (supervisors; agents for their own team).
    report(actor: UserId, window: Window, #[serde(default)] team: Option<TeamId>) -> Report {
        desk.report(actor, window, team).await
    }
    /// The same report as flat rows (`section`, `kpi`, `key`, `period`, `value`), for
    /// spreadsheets and data frames.
    report_table(actor: UserId, window: Window, #[serde(default)] team: Option<TeamId>) -> ReportTable {
        desk.report_table(actor, window, team).await
    }
    /// The same rows as CSV text: a byte-order mark unless `bom` is false, `;` between
    /// cells if `semicolon`, formula-like cells neutralised.
    report_csv(
        actor: UserId,
        window: Window,
        #[serde(default)] team: Option<TeamId>,
        #[serde(default)] options: CsvOptions,
    ) -> String {
        desk.report_csv(actor, window, team, options).await
    }
    /// One chart of the same report as an SVG document: `trend`, `sla_by_priority`,
    /// `backlog_age` or `technicians`.
    report_chart(actor: UserId, window: Window, #[serde(default)] team: Option<TeamId>, chart: Chart) -> String {
        desk.report_chart(actor, window, team, chart).await
    }
    /// Mails the same report to `to` through `smtp`: the headline figures as text, the
    /// rows as CSV and the charts as SVG attachments (scheduled reports).
    send_report(
        actor: UserId,
        window: Window,
        #[serde(default)] team: Option<TeamId>,
        to: Vec<String>,
        smtp: SmtpSettings,
    ) -> SentReport {
        desk.send_report(actor, window, team, to, smtp).await
    }
    /// Live figures for a team or the desk: new and unassigned, at risk (a running SLA
    /// target due within `risk_minutes`), breached, waiting on the requester, oldest, per
    /// level, alerted today in `time_zone` (supervisors; agents for their own team).
    dashboard(
        actor: UserId,
        #[serde(default)] team: Option<TeamId>,
        #[serde(default = "default_risk_minutes")] risk_minutes: u32,
        #[serde(default = "default_time_zone")] time_zone: String,
    ) -> Dashboard {
        desk.dashboard(actor, team, risk_minutes, &time_zone).await
    }
    /// The auditor's report on security incident `id` in Markdown: the record's questions
    /// and answers, the timeline, the hash chain, the desk anchor and the verdict
    /// (supervisors).
    security_evidence(actor: UserId, id: TicketId) -> String {
        desk.security_evidence(actor, &id).await
    }
    /// The same report as a PDF.
    security_evidence_pdf(actor: UserId, id: TicketId) -> Base64 {
        desk.security_evidence_pdf(actor, &id).await.map(Base64)
    }
    /// The register of the security incidents registered in `window`, mapped to ISO/IEC
    /// 27001:2022 Annex A 5.24–5.28, in Markdown (supervisors).
    security_register(actor: UserId, window: Window) -> String {
        desk.security_register(actor, window).await
    }
    /// The same register as a PDF.
    security_register_pdf(actor: UserId, window: Window) -> Base64 {
        desk.security_register_pdf(actor, window).await.map(Base64)
    }
    /// Rewrites every ticket's report fact under the rules in force and packs the finished
    /// ones again (admins); how many were written.
    rebuild_report_facts(actor: UserId) -> u64 { desk.rebuild_report_facts(actor).await }
    /// Packs finished tickets' report facts into one block per day, at most `days` days;
    /// how many facts (`tick` packs a few days each time).
    pack_report_facts(days: u32) -> u64 { desk.pack_report_facts(days).await }
}
