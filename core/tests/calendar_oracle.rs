//! Differential test: 1,200 random calendars and questions, answered by this crate and by
//! Perl's Business::Hours (an independent implementation, used by RT's SLA extension).
//!
//! Needs `perl` with Business::Hours (Debian: `libbusiness-hours-perl`; `.ci/run` installs
//! it). Without it the test fails saying so, unless `FOLIODESK_SKIP=business-hours` leaves
//! it out.
//!
//! Where the two legitimately differ, the comparison maps one onto the other:
//! - Business::Hours' `add_seconds` never returns a closing instant (it returns the next
//!   business second); ours returns the closing time when the duration ends exactly there.
//! - Business::Hours cannot express `24:00`, looks ahead only 30 days, and removes a
//!   holiday as 24 hours from local midnight, so generated calendars keep their hours in
//!   04:00–23:59 (away from the night-time DST changes), durations short of its window,
//!   and holidays off the DST change days.

use std::io::Write;
use std::process::{Command, Stdio};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use foliodesk_core::calendar::{Calendar, CalendarSpec};

const CASES: usize = 1_200;
const ZONES: [&str; 8] = [
    "Europe/Madrid",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "UTC",
];

/// xorshift64*: reproducible cases without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Case {
    cal: Calendar,
    json: String,
    start: DateTime<Utc>,
    seconds: i64,
    end: DateTime<Utc>,
}

fn hm(minutes: u64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn dst_day(tz: Tz, d: NaiveDate) -> bool {
    let off = |d: NaiveDate| {
        tz.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap())
            .offset()
            .fix()
    };
    off(d) != off(d.pred_opt().unwrap()) || off(d) != off(d.succ_opt().unwrap())
}

fn case(rng: &mut Rng) -> Case {
    let zone = ZONES[rng.below(ZONES.len() as u64) as usize];
    let tz: Tz = zone.parse().unwrap();
    let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let mut spec = CalendarSpec {
        timezone: zone.into(),
        horizon_days: 400,
        ..Default::default()
    };
    let mut perl_hours = serde_json::Map::new();
    for (dow, name) in names.iter().enumerate() {
        if rng.below(4) == 0 {
            continue; // closed
        }
        let start = 240 + rng.below(8 * 60); // 04:00 .. 11:59
        let end = (start + 60 + rng.below(12 * 60)).min(23 * 60 + 59);
        let mut intervals = vec![(hm(start), hm(end))];
        let mut day = serde_json::json!({ "Name": name, "Start": hm(start), "End": hm(end) });
        if end - start > 120 && rng.below(2) == 0 {
            let b0 = start + 1 + rng.below(end - start - 60);
            let b1 = (b0 + 15 + rng.below(90)).min(end - 1);
            intervals = vec![(hm(start), hm(b0)), (hm(b1), hm(end))];
            day["Breaks"] = serde_json::json!([{ "Start": hm(b0), "End": hm(b1) }]);
        }
        spec.hours.insert((*name).into(), intervals);
        perl_hours.insert(dow.to_string(), day);
    }
    if spec.hours.is_empty() {
        spec.hours.insert("wed".into(), vec![(hm(600), hm(660))]);
        perl_hours.insert(
            "3".into(),
            serde_json::json!({ "Name": "wed", "Start": hm(600), "End": hm(660) }),
        );
    }
    // 2025-01-01 .. 2027-06-30, whole seconds.
    let start = DateTime::from_timestamp(1_735_689_600 + rng.below(78_000_000) as i64, 0).unwrap();
    let base = start.with_timezone(&tz).date_naive();
    for _ in 0..rng.below(5) {
        let d = base + Duration::days(rng.below(21) as i64);
        if !dst_day(tz, d) {
            spec.holidays.push(d.format("%Y-%m-%d").to_string());
        }
    }
    for _ in 0..rng.below(3) {
        let d = base + Duration::days(rng.below(21) as i64);
        if (base.year()..=base.year() + 1)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, d.month(), d.day()))
            .all(|x| !dst_day(tz, x))
        {
            spec.holidays.push(d.format("%m-%d").to_string());
        }
    }
    // Minutes to two weeks of business time, log-uniformly.
    let seconds = (60.0 * 10f64.powf(rng.below(1_000) as f64 / 1_000.0 * 3.3)) as i64;
    let end = start + Duration::seconds(60 + rng.below(21 * 86_400) as i64);
    let json = serde_json::json!({
        "tz": zone,
        "hours": perl_hours,
        "holidays": spec.holidays,
        "start": start.timestamp(),
        "seconds": seconds,
        "end": end.timestamp(),
    })
    .to_string();
    Case {
        cal: Calendar::new(spec).unwrap(),
        json,
        start,
        seconds,
        end,
    }
}

fn oracle(input: &str) -> Option<String> {
    if std::env::var("FOLIODESK_SKIP")
        .is_ok_and(|v| v.split(',').any(|s| s.trim() == "business-hours"))
    {
        eprintln!("FOLIODESK_SKIP: leaving out the Business::Hours comparison");
        return None;
    }
    let probe = Command::new("perl")
        .args(["-MBusiness::Hours", "-e1"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => missing(&String::from_utf8_lossy(&out.stderr)),
        Err(e) => missing(&format!("cannot run perl: {e}")),
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oracle/business_hours.pl"
    );
    let mut child = Command::new("perl")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| missing(&format!("cannot run perl: {e}")));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    // A script that died early closes its input: its stderr says why, not the broken pipe.
    assert!(
        out.status.success(),
        "the Business::Hours script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    writer.join().unwrap().unwrap();
    Some(String::from_utf8(out.stdout).unwrap())
}

fn missing(why: &str) -> ! {
    panic!(
        "Perl's Business::Hours is needed for this comparison ({}): install it (Debian: \
         apt-get install libbusiness-hours-perl), or leave the test out with \
         FOLIODESK_SKIP=business-hours",
        why.trim()
    )
}

#[test]
fn agrees_with_business_hours() {
    let mut rng = Rng(0x00f0_110d_e5c0_ffee);
    let cases: Vec<Case> = (0..CASES).map(|_| case(&mut rng)).collect();
    let input: String = cases.iter().map(|c| format!("{}\n", c.json)).collect();
    let Some(output) = oracle(&input) else { return };
    let lines: Vec<&str> = output.lines().collect();
    assert_eq!(lines.len(), cases.len());
    let (mut added, mut measured, mut closing) = (0, 0, 0);
    for (c, line) in cases.iter().zip(lines) {
        let (sum, count) = line.split_once(' ').unwrap();
        let (sum, count): (i64, i64) = (sum.parse().unwrap(), count.parse().unwrap());
        assert_eq!(
            c.cal.business_time_between(c.start, c.end).num_seconds(),
            count,
            "between, case {}",
            c.json
        );
        measured += 1;
        if sum < 0 {
            continue; // beyond Business::Hours' 30-day window
        }
        let ours = c
            .cal
            .add_business_time(c.start, Duration::seconds(c.seconds))
            .unwrap();
        let theirs = DateTime::from_timestamp(sum, 0).unwrap();
        if ours == theirs {
            added += 1;
        } else {
            // Ours ended on a closing time; theirs is the next business second.
            assert!(
                !c.cal.is_open(ours) && c.cal.next_open(ours).unwrap() == theirs,
                "add_business_time, case {}: ours {ours}, Business::Hours {theirs}",
                c.json
            );
            closing += 1;
        }
    }
    eprintln!("agreed with Business::Hours: {measured} between, {added} add (+{closing} ending on a closing time)");
    assert!(
        measured >= 1_000 && added + closing >= 1_000,
        "too few comparable cases"
    );
}
