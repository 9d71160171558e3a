//! The main queues use indexes on PostgreSQL: 100,000 synthetic tickets, `ANALYZE`, then
//! `EXPLAIN` of the statements `SqlStore::query` and `due` generate (their text is pinned in
//! the crate's unit tests). The plans are written to `target/tmp/query-plans.txt`;
//! `docs/query-plans.md` shows them.

use foliodesk_sql::testkit::{fresh_db, reachable};
use foliodesk_sql::{Dialect, SqlStore};
use sqlx::{AssertSqlSafe, Executor, Row};

/// (what, SQL, the index the plan must use)
const QUEUES: &[(&str, &str, &str)] = &[
    (
        "agent queue: a team's new and open tickets, oldest first",
        "SELECT body FROM fd_tickets WHERE status IN ('new', 'open') AND team = 'team7' \
         ORDER BY opened_micros ASC, id ASC LIMIT 51",
        "fd_tickets_team",
    ),
    (
        "my work: a technician's open and pending tickets",
        "SELECT body FROM fd_tickets WHERE status IN ('open', 'pending') AND assignee = 'agent7' \
         ORDER BY opened_micros ASC, id ASC LIMIT 51",
        "fd_tickets_assignee",
    ),
    (
        "requester portal: one requester's tickets, newest first",
        "SELECT body FROM fd_tickets WHERE requester = 'user7' \
         ORDER BY opened_micros DESC, id DESC LIMIT 51",
        "fd_tickets_requester",
    ),
    (
        "next page of the agent queue (keyset cursor)",
        "SELECT body FROM fd_tickets WHERE status IN ('new', 'open') AND team = 'team7' \
         AND (opened_micros > 1700000500000000 OR (opened_micros = 1700000500000000 \
         AND id > 't00000500')) ORDER BY opened_micros ASC, id ASC LIMIT 51",
        "fd_tickets_team",
    ),
    (
        "organisation report: one customer's tickets in a month",
        "SELECT body FROM fd_tickets WHERE organisation = 'org7' \
         AND opened_micros >= 1700000000000000 AND opened_micros < 1702592000000000 \
         ORDER BY opened_micros ASC, id ASC LIMIT 51",
        "fd_tickets_org",
    ),
    (
        "due index (tick)",
        "SELECT id, due_micros FROM fd_tickets WHERE due_micros IS NOT NULL \
         AND due_micros <= 1700050000000000 ORDER BY due_micros, id LIMIT 500",
        "fd_tickets_due",
    ),
    (
        "SLA queue: breached tickets (a running target due before now; clocks run on recent tickets)",
        "SELECT body FROM fd_tickets WHERE sla_due_micros <= 1700088600000000 \
         ORDER BY opened_micros ASC, id ASC LIMIT 51",
        "fd_tickets_sla_due",
    ),
];

#[tokio::test]
async fn main_queues_use_indexes_on_postgres() {
    if !reachable(Dialect::Postgres).await {
        return;
    }
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let db = fresh_db(Dialect::Postgres, "query_plans", tmp).await;
    let store = SqlStore::open(&db.url).await.unwrap();
    let pool = store.pool();
    pool.execute(
        "INSERT INTO fd_tickets (id, folio, version, head_hash, kind, status, team, assignee, \
         requester, organisation, priority, category, watchers, opened_micros, updated_micros, \
         due_micros, sla_due_micros, body) \
         SELECT 't' || lpad(g::text, 8, '0'), 'INC-2026-' || lpad(g::text, 6, '0'), 1, 'h', \
         'incident', (ARRAY['new','open','pending','resolved','closed'])[1 + g % 5], \
         'team' || (g % 20), CASE WHEN g % 3 = 0 THEN NULL ELSE 'agent' || (g % 60) END, \
         'user' || (g % 2000), 'org' || (g % 40), 1 + g % 5, 'Hardware', '|', \
         1700000000000000 + g::bigint * 1000000, 1700000000000000 + g::bigint * 1000000, \
         CASE WHEN g % 5 = 3 THEN 1700000000000000 + g::bigint * 1000000 END, \
         CASE WHEN g > 80000 AND g % 5 < 2 THEN 1700000000000000 + g::bigint * 1000000 + 3600000000 END, '{}' \
         FROM generate_series(1, 100000) AS g",
    )
    .await
    .unwrap();
    pool.execute("ANALYZE fd_tickets").await.unwrap();
    let mut report = String::new();
    for (name, sql, index) in QUEUES {
        let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN {sql}")))
            .fetch_all(pool)
            .await
            .unwrap();
        let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
        let plan = plan.join("\n");
        report.push_str(&format!("-- {name}\n{sql}\n{plan}\n\n"));
        std::fs::write(tmp.join("query-plans.txt"), &report).unwrap();
        assert!(
            (plan.contains(&format!("using {index} ")) || plan.contains(&format!("on {index} ")))
                && !plan.contains("Seq Scan"),
            "{name} does not use {index}:\n{plan}"
        );
    }
}

/// SQLite plans the same queues on the same indexes with the values bound, as
/// `SqlStore::query` sends them: the partial team, assignee and organisation indexes
/// (schema 3) serve `column = ?`, which implies `column IS NOT NULL`.
#[tokio::test]
async fn bound_queues_use_the_partial_indexes_on_sqlite() {
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let db = fresh_db(Dialect::Sqlite, "query_plans_sqlite", tmp).await;
    let store = SqlStore::open(&db.url).await.unwrap();
    let queues: [(&str, Vec<&str>, &str); 3] = [
        (
            "SELECT body FROM fd_tickets WHERE status IN (?, ?) AND team = ? \
             ORDER BY opened_micros ASC, id ASC LIMIT 51",
            vec!["new", "open", "team7"],
            "fd_tickets_team",
        ),
        (
            "SELECT body FROM fd_tickets WHERE status IN (?, ?) AND assignee = ? \
             ORDER BY opened_micros ASC, id ASC LIMIT 51",
            vec!["open", "pending", "agent7"],
            "fd_tickets_assignee",
        ),
        (
            "SELECT body FROM fd_tickets WHERE organisation = ? \
             ORDER BY opened_micros ASC, id ASC LIMIT 51",
            vec!["org7"],
            "fd_tickets_org",
        ),
    ];
    for (sql, binds, index) in queues {
        let mut q = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(store.pool()).await.unwrap();
        let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>(3)).collect();
        assert!(
            plan.iter()
                .any(|step| step.contains(&format!("USING INDEX {index} "))),
            "{sql} does not use {index}: {plan:?}"
        );
    }
}
