//! A report as flat rows — `(section, kpi, key, period, value)` — for CSV and for data
//! frames: one row per figure, the window's and the previous window's side by side.

use serde::{Deserialize, Serialize};

use super::figures::{Clocked, Figures};
use super::series::AGE_LABELS;
use super::stats::{Durations, Rate};
use super::Report;
use crate::export::{csv, CsvOptions};
use crate::Result;

/// One figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Row {
    /// `volume`, `times`, `sla`, `ola`, `quality`, `satisfaction`, `technician`,
    /// `problems`, `series`, `backlog`, `contacts`.
    pub section: String,
    /// The figure, e.g. `resolution.business.p90`.
    pub kpi: String,
    /// What it is broken down by, e.g. a channel or a team (`*` for all).
    pub key: String,
    /// `current`, `previous`, or a series bucket's first date.
    pub period: String,
    /// The value: a count, seconds, a percentage or a score.
    pub value: f64,
}

/// A report as rows (what `report_table` answers; Python adds `to_pandas()`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReportTable {
    /// Every figure, one per row.
    pub rows: Vec<Row>,
}

/// The CSV columns.
pub const HEADERS: [&str; 5] = ["section", "kpi", "key", "period", "value"];

struct Out<'a> {
    rows: Vec<Row>,
    period: &'a str,
}

impl Out<'_> {
    fn push(&mut self, section: &str, kpi: &str, key: &str, value: f64) {
        self.rows.push(Row {
            section: section.into(),
            kpi: kpi.into(),
            key: key.into(),
            period: self.period.into(),
            value,
        });
    }

    fn rate(&mut self, section: &str, kpi: &str, key: &str, r: &Rate) {
        self.push(section, kpi, key, r.percent);
    }

    fn durations(&mut self, kpi: &str, d: &Durations) {
        self.push("times", &format!("{kpi}.count"), "*", d.count as f64);
        self.push("times", &format!("{kpi}.mean"), "*", d.mean);
        self.push("times", &format!("{kpi}.median"), "*", f64::from(d.median));
        self.push("times", &format!("{kpi}.p90"), "*", f64::from(d.p90));
    }

    fn clocked(&mut self, kpi: &str, c: &Clocked) {
        self.durations(&format!("{kpi}.calendar"), &c.calendar);
        self.durations(&format!("{kpi}.business"), &c.business);
    }

    fn figures(&mut self, f: &Figures) {
        self.push("volume", "opened", "*", f.volume as f64);
        let by = [
            ("channel", &f.by_channel),
            ("kind", &f.by_kind),
            ("category", &f.by_category),
            ("service", &f.by_service),
            ("organisation", &f.by_organisation),
        ];
        for (name, map) in by {
            for (k, v) in map {
                self.push("volume", &format!("by_{name}"), k, *v as f64);
            }
        }
        self.push("volume", "resolved", "*", f.resolved as f64);
        self.clocked("first_response", &f.first_response);
        self.clocked("attention", &f.attention);
        self.clocked("resolution", &f.resolution);
        let sla = [
            ("target", &f.sla_by_target),
            ("policy", &f.sla_by_policy),
            ("priority", &f.sla_by_priority),
            ("team", &f.sla_by_team),
        ];
        for (name, map) in sla {
            for (k, r) in map {
                self.rate("sla", &format!("compliance_by_{name}"), k, r);
            }
        }
        for (level, u) in &f.ola {
            self.push("ola", "tickets", level, u.tickets as f64);
            self.push("ola", "mean_seconds", level, u.mean);
            self.push("ola", "over_budget", level, u.over_budget as f64);
        }
        self.rate(
            "quality",
            "first_contact_resolution",
            "*",
            &f.first_contact_resolution,
        );
        self.rate("quality", "reopen_rate", "*", &f.reopen_rate);
        self.rate(
            "quality",
            "functional_escalation",
            "*",
            &f.functional_escalation,
        );
        self.rate(
            "quality",
            "hierarchical_escalation",
            "*",
            &f.hierarchical_escalation,
        );
        let s = &f.satisfaction;
        self.push("satisfaction", "mean", "*", s.mean);
        for (i, n) in s.distribution.iter().enumerate() {
            self.push("satisfaction", "answers", &(i + 1).to_string(), *n as f64);
        }
        self.rate("satisfaction", "response_rate", "*", &s.response_rate);
        for t in &f.technicians {
            self.push("technician", "volume", &t.agent, t.volume as f64);
            self.push("technician", "resolved", &t.agent, t.resolved as f64);
            self.push("technician", "resolution_mean", &t.agent, t.resolution_mean);
            self.push(
                "technician",
                "satisfaction_mean",
                &t.agent,
                t.satisfaction_mean,
            );
            self.push("technician", "reopens", &t.agent, t.reopens as f64);
        }
        self.push("problems", "repeated", "*", f.repeated as f64);
        self.push("problems", "repetitions", "*", f.repetitions as f64);
        for p in &f.problems {
            self.push("problems", "incidents", &p.problem, p.incidents as f64);
        }
        self.push(
            "volume",
            "security_incidents",
            "*",
            f.security_incidents as f64,
        );
    }
}

impl Report {
    /// Every figure as a row.
    pub fn rows(&self) -> Vec<Row> {
        let mut out = Out {
            rows: Vec::new(),
            period: "current",
        };
        out.figures(&self.current);
        out.period = "previous";
        out.figures(&self.previous);
        for p in &self.series {
            let day = p.start.to_string();
            let mut o = Out {
                rows: Vec::new(),
                period: &day,
            };
            o.push("series", "opened", "*", p.opened as f64);
            o.push("series", "resolved", "*", p.resolved as f64);
            o.push("series", "resolution_mean", "*", p.resolution_mean);
            o.rate("series", "sla_compliance", "*", &p.sla);
            out.rows.extend(o.rows);
        }
        out.period = "current";
        out.push("backlog", "in_hand", "*", self.backlog.total as f64);
        for (label, n) in AGE_LABELS.iter().zip(self.backlog.by_age) {
            out.push("backlog", "by_age", label, n as f64);
        }
        out.push("backlog", "validating", "*", self.backlog.validating as f64);
        let c = &self.contacts;
        out.push("contacts", "total", "*", c.total as f64);
        out.push("contacts", "answered", "*", c.answered as f64);
        out.durations("contacts.answer_time", &c.answer_time);
        out.rate("contacts", "abandonment", "*", &c.abandonment);
        for r in out
            .rows
            .iter_mut()
            .filter(|r| r.kpi.starts_with("contacts."))
        {
            r.section = "contacts".into();
        }
        out.rows
    }

    /// The rows as CSV (see [`crate::export`] for the options).
    pub fn csv(&self, options: CsvOptions) -> Result<Vec<u8>> {
        let rows = self
            .rows()
            .into_iter()
            .map(|r| vec![r.section, r.kpi, r.key, r.period, r.value.to_string()]);
        csv(&HEADERS, rows, options)
    }
}
