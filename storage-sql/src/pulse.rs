//! The dashboard counted where the facts are: one `GROUP BY` over the pulse columns of the
//! live fact rows and one indexed read of the oldest in hand, instead of every live fact
//! crossing the driver.

use foliodesk_core::report::pulse::{Pulse, PulseGroup, PulseQuery};
use foliodesk_core::status::Status;
use foliodesk_core::Result;
use sqlx::{AssertSqlSafe, Row};

use crate::errors::storage;
use crate::SqlStore;

const DOING: &str = "cannot count the dashboard";

/// `status IN (...)` of the statuses in hand.
fn in_hand() -> String {
    let active: Vec<String> = (Status::ALL.iter())
        .filter(|s| s.is_active())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("status IN ({})", active.join(", "))
}

impl SqlStore {
    pub(crate) async fn count_pulse(&self, q: &PulseQuery) -> Result<Pulse> {
        let team = if q.team.is_some() {
            " AND team = ?"
        } else {
            ""
        };
        let e = self.engine();
        let counts = [
            "breached = 1 OR due_micros <= ?",
            "breached = 0 AND due_micros > ? AND due_micros <= ?",
            "alerted_micros >= ?",
        ]
        .map(|cond| e.count_if(cond))
        .join(", ");
        let groups = e.placeholders(&format!(
            "SELECT status, level, unassigned, waiting, COUNT(*), {counts} \
             FROM fd_facts WHERE live = 1{team} \
             GROUP BY status, level, unassigned, waiting \
             ORDER BY status, level, unassigned, waiting"
        ));
        let mut query = sqlx::query(AssertSqlSafe(groups))
            .bind(q.now)
            .bind(q.now)
            .bind(q.horizon)
            .bind(q.today_from);
        if let Some(t) = &q.team {
            query = query.bind(t.to_string());
        }
        let rows = (query.fetch_all(&self.pool).await).map_err(|e| storage(DOING, e))?;
        let mut out = Pulse::default();
        for r in &rows {
            let cell = |e| storage(DOING, e);
            let text = |i: usize| r.try_get::<String, _>(i).map_err(cell);
            let int = |i: usize| r.try_get::<i64, _>(i).map_err(cell);
            let count = |i: usize| int(i).map(|n| u64::try_from(n).unwrap_or(0));
            out.groups.push(PulseGroup {
                status: text(0)?.parse()?,
                level: text(1)?.parse()?,
                unassigned: int(2)? != 0,
                waiting: int(3)? != 0,
                tickets: count(4)?,
                breached: count(5)?,
                at_risk: count(6)?,
                alerted: count(7)?,
            });
        }
        // The core orders groups by the enums' order, not their names.
        out.groups
            .sort_by_key(|g| (g.status, g.level, g.unassigned, g.waiting));
        let oldest = self.engine().placeholders(&format!(
            "SELECT opened_micros, ticket_id FROM fd_facts WHERE live = 1 AND {}{team} \
             ORDER BY opened_micros, ticket_id LIMIT 1",
            in_hand()
        ));
        let mut query = sqlx::query(AssertSqlSafe(oldest));
        if let Some(t) = &q.team {
            query = query.bind(t.to_string());
        }
        let row = (query.fetch_optional(&self.pool).await).map_err(|e| storage(DOING, e))?;
        if let Some(r) = row {
            let cell = |e| storage(DOING, e);
            let opened: i64 = r.try_get(0).map_err(cell)?;
            let ticket: String = r.try_get(1).map_err(cell)?;
            out.oldest = Some((opened, ticket.into()));
        }
        Ok(out)
    }
}
