//! A report's headline figures as plain text, this window beside the previous one: the
//! body of the mailed report, readable in any mail client.

use super::figures::Figures;
use super::stats::Rate;
use super::Report;

fn hours(seconds: f64) -> String {
    format!("{:.1} h", seconds / 3600.0)
}

fn rate(r: &Rate) -> String {
    if r.of == 0 {
        "—".into()
    } else {
        format!("{:.1} % ({}/{})", r.percent, r.part, r.of)
    }
}

fn lines(f: &Figures) -> Vec<(&'static str, String)> {
    let sla = (f.sla_by_target.values()).fold((0, 0), |(p, o), r| (p + r.part, o + r.of));
    vec![
        ("Tickets opened", f.volume.to_string()),
        ("Resolved", f.resolved.to_string()),
        (
            "First response, median (business)",
            hours(f64::from(f.first_response.business.median)),
        ),
        (
            "Resolution, mean (business)",
            hours(f.resolution.business.mean),
        ),
        (
            "Resolution, 90th percentile (business)",
            hours(f64::from(f.resolution.business.p90)),
        ),
        (
            "SLA compliance, all targets",
            rate(&Rate::new(sla.0, sla.1)),
        ),
        (
            "First contact resolution",
            rate(&f.first_contact_resolution),
        ),
        ("Reopen rate", rate(&f.reopen_rate)),
        ("Escalated (functional)", rate(&f.functional_escalation)),
        (
            "Satisfaction, mean of 5",
            format!("{:.2}", f.satisfaction.mean),
        ),
        ("Security incidents", f.security_incidents.to_string()),
    ]
}

impl Report {
    /// The headline figures as aligned plain text.
    pub fn summary(&self) -> String {
        let w = &self.request.window;
        let team = self
            .request
            .team
            .as_ref()
            .map_or("the whole desk".into(), |t| format!("team {t}"));
        let mut out = format!(
            "Foliodesk report for {team}: {} to {} ({}), by {}.\n\n",
            w.from, w.to, w.time_zone, w.every
        );
        out.push_str(&format!(
            "{:<40} {:>22} {:>22}\n",
            "", "this period", "previous"
        ));
        for ((label, now), (_, before)) in
            lines(&self.current).into_iter().zip(lines(&self.previous))
        {
            out.push_str(&format!("{label:<40} {now:>22} {before:>22}\n"));
        }
        out.push_str(&format!(
            "\nBacklog now: {} in hand, {} awaiting validation.\n",
            self.backlog.total, self.backlog.validating
        ));
        out
    }
}
