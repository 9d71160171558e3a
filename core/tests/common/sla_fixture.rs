//! SLA fixtures: an office-hours policy with escalation rules on the testkit's directory.

use chrono::{DateTime, Duration, Utc};
use foliodesk_core::sla::Sla;
use foliodesk_core::testkit::Kit;
use foliodesk_core::*;

use super::Given;

/// UTC office hours 09:00–17:00 Monday to Friday; P3: first response 2 h, resolution 8 h
/// (one business day), update every 4 h; P5 (the highest): 30 min and 2 h. Kit::t0() is Monday
/// 2 March 2026, 09:00 UTC.
pub const CONFIG: &str = r#"
    [sla.calendars.office]
    timezone = "UTC"
    hours = { mon = [["09:00", "17:00"]], tue = [["09:00", "17:00"]], wed = [["09:00", "17:00"]], thu = [["09:00", "17:00"]], fri = [["09:00", "17:00"]] }

    [[sla.policies]]
    id = "standard"
    calendar = "office"
    default = true
    targets.p3 = { first_response = "2h", resolution = "8h", update_every = "4h" }
    targets.p5 = { first_response = "30m", resolution = "2h" }
    levels = { n1 = "4h", n2 = "4h" }

    [[sla.escalation]]
    target = "resolution"
    at_percent = 75
    actions = ["notify_assignee"]
    [[sla.escalation]]
    target = "resolution"
    at_percent = 100
    actions = ["functional", "notify_supervisor"]
    repeat_every = "2h"
"#;

pub fn kit(extra: &str) -> Kit {
    let mut kit = Kit::new();
    let text = format!("{CONFIG}\n{extra}");
    let cfg: Config = Config::from_toml_str(&text, "<sla test>").unwrap();
    kit.config.sla = cfg.sla;
    kit
}

pub fn h(n: i64) -> Duration {
    Duration::hours(n)
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn sla(kit: &Kit) -> Sla {
    Sla::new(&kit.config.sla).unwrap()
}

pub fn assign(g: &mut Given, when: &str) {
    g.run(
        "bob",
        Command::Assign {
            team: Some("n1".into()),
            assignee: Some("bob".into()),
        },
        at(when),
    )
    .unwrap();
}
