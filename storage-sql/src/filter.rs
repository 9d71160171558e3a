//! `QueryTickets` → one SQL statement with binds, equivalent to `TicketFilter::matches`
//! and ordered for keyset pagination over (opened_micros, id).

use foliodesk_core::query::QueryTickets;

/// A bind value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    OptText(Option<String>),
    OptInt(Option<i64>),
    Float(f64),
    OptBytes(Option<Vec<u8>>),
}

/// Runs `sql` with `args` on `conn`: its rows, or an error saying what was `doing`.
pub(crate) async fn fetch_rows(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    args: Vec<Arg>,
    doing: &str,
) -> foliodesk_core::Result<Vec<sqlx::any::AnyRow>> {
    let q = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())), args);
    (q.fetch_all(conn).await).map_err(|e| crate::errors::storage(doing, e))
}

/// Binds `args` in order.
pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for arg in args {
        q = match arg {
            Arg::Text(v) => q.bind(v),
            Arg::Int(v) => q.bind(v),
            Arg::OptText(v) => q.bind(v),
            Arg::OptInt(v) => q.bind(v),
            Arg::Float(v) => q.bind(v),
            Arg::OptBytes(v) => q.bind(v),
        };
    }
    q
}

/// The portable SQL (with `?` placeholders) and its binds, for `limit + 1` rows so the
/// caller can tell whether another page follows.
pub(crate) fn select(q: &QueryTickets) -> (String, Vec<Arg>) {
    let f = &q.filter;
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let mut any_of = |column: &str, values: Vec<&str>, args: &mut Vec<Arg>| {
        if !values.is_empty() {
            let marks = vec!["?"; values.len()].join(", ");
            clauses.push(format!("{column} IN ({marks})"));
            args.extend(values.into_iter().map(|v| Arg::Text(v.to_owned())));
        }
    };
    any_of(
        "status",
        f.status.iter().map(|s| s.as_str()).collect(),
        &mut args,
    );
    any_of(
        "kind",
        f.kind.iter().map(|k| k.as_str()).collect(),
        &mut args,
    );
    let mut eq = |column: &str, value: Option<&str>| {
        if let Some(v) = value {
            clauses.push(format!("{column} = ?"));
            args.push(Arg::Text(v.to_owned()));
        }
    };
    eq("team", f.team.as_ref().map(|x| x.as_str()));
    eq("assignee", f.assignee.as_ref().map(|x| x.as_str()));
    eq("requester", f.requester.as_ref().map(|x| x.as_str()));
    eq("organisation", f.organisation.as_ref().map(|x| x.as_str()));
    if let Some(list) = &f.organisation_in {
        if list.is_empty() {
            clauses.push("organisation IS NULL".into());
        } else {
            let marks = vec!["?"; list.len()].join(", ");
            clauses.push(format!(
                "(organisation IS NULL OR organisation IN ({marks}))"
            ));
            args.extend(list.iter().map(|o| Arg::Text(o.to_string())));
        }
    }
    if f.unassigned {
        clauses.push("assignee IS NULL".into());
    }
    if let Some(user) = &f.involving {
        clauses.push("(requester = ? OR watchers LIKE ? ESCAPE '!')".into());
        args.push(Arg::Text(user.to_string()));
        args.push(Arg::Text(format!(
            "%|{}|%",
            like_escape(&watcher_token(user.as_str()))
        )));
    }
    if let Some(p) = f.min_priority {
        clauses.push("priority >= ?".into());
        args.push(Arg::Int(i64::from(p.get())));
    }
    if let Some(c) = &f.category {
        clauses.push("(category = ? OR category LIKE ? ESCAPE '!')".into());
        args.push(Arg::Text(c.as_str().to_owned()));
        args.push(Arg::Text(format!("{}/%", like_escape(c.as_str()))));
    }
    let mut range = |column: &str, op: &str, at: Option<chrono::DateTime<chrono::Utc>>| {
        if let Some(at) = at {
            clauses.push(format!("{column} {op} ?"));
            args.push(Arg::Int(at.timestamp_micros()));
        }
    };
    range("opened_micros", ">=", f.opened_from);
    range("opened_micros", "<", f.opened_to);
    range("updated_micros", ">=", f.updated_from);
    range("updated_micros", "<", f.updated_to);
    range("sla_due_micros", "<=", f.sla_due_by);
    let (cmp, dir) = if q.newest_first {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    if let Some(after) = &q.after {
        clauses.push(format!(
            "(opened_micros {cmp} ? OR (opened_micros = ? AND id {cmp} ?))"
        ));
        args.push(Arg::Int(after.opened_micros));
        args.push(Arg::Int(after.opened_micros));
        args.push(Arg::Text(after.id.to_string()));
    }
    let mut sql = String::from("SELECT body FROM fd_tickets");
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    sql.push_str(&format!(" ORDER BY opened_micros {dir}, id {dir} LIMIT ?"));
    args.push(Arg::Int(i64::from(q.limit) + 1));
    (sql, args)
}

/// A user id as it appears between the `|` of the watchers column: `%` and `|` are
/// percent-encoded so that every token is unambiguous.
pub(crate) fn watcher_token(id: &str) -> String {
    id.replace('%', "%25").replace('|', "%7C")
}

/// Escapes `LIKE` wildcards with `!` (the `ESCAPE` character used above).
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '!' | '%' | '_') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use foliodesk_core::query::TicketFilter;
    use foliodesk_core::{Status, TeamId};

    #[test]
    fn agent_queue_uses_team_and_status() {
        let q = QueryTickets {
            filter: TicketFilter {
                team: Some(TeamId::new("service-desk")),
                status: vec![Status::New, Status::Open],
                ..TicketFilter::default()
            },
            after: None,
            limit: 50,
            newest_first: false,
        };
        let (sql, args) = select(&q);
        assert_eq!(
            sql,
            "SELECT body FROM fd_tickets WHERE status IN (?, ?) AND team = ? \
             ORDER BY opened_micros ASC, id ASC LIMIT ?"
        );
        assert_eq!(args.len(), 4);
        assert_eq!(args[3], Arg::Int(51));
    }

    #[test]
    fn wildcards_in_ids_are_literal() {
        assert_eq!(like_escape("50%_off!"), "50!%!_off!!");
        assert_eq!(watcher_token("a|b%"), "a%7Cb%25");
    }
}
