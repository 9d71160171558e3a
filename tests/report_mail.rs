//! A scheduled report mailed through a real SMTP server (aiosmtpd on loopback) and parsed
//! back: the headline figures as text, the CSV and the four SVG charts attached; bad
//! recipients are named before anything is sent.

mod common;
mod smtp_sink;

use common::{desk_at, example_config, incident};
use foliodesk::report::{Every, Window};
use foliodesk::smtp::{SmtpSecurity, SmtpSettings};
use mail_parser::{MessageParser, MimeHeaders};
use smtp_sink::Sink;

fn settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        timeout_seconds: 10,
        ca_file: None,
    }
}

fn march() -> Window {
    Window {
        from: "2026-03-01".parse().unwrap(),
        to: "2026-04-01".parse().unwrap(),
        time_zone: "Europe/Madrid".into(),
        every: Every::Week,
    }
}

#[tokio::test]
async fn the_monthly_report_arrives_with_its_attachments() {
    let Some(sink) = Sink::start() else { return };
    let f = desk_at("memory://", example_config()).await;
    let d = &f.desk;
    for title in ["VPN", "Correo", "Impresora"] {
        d.open_ticket("ana", incident(title)).await.unwrap();
    }
    let mut window = march();
    window.every = Every::Month;
    let to = vec![
        "jefa@example.com".to_owned(),
        "auditor@example.com".to_owned(),
    ];
    let sent = d
        .send_report("sue", window.clone(), None, to.clone(), settings(sink.port))
        .await
        .unwrap();
    assert_eq!(sent.to, to);
    let received = sink.received();
    assert_eq!(received.len(), 1, "one message, two recipients");
    let m = MessageParser::default().parse(&received[0]).unwrap();
    assert_eq!(
        m.subject(),
        Some("Foliodesk report 2026-03-01 to 2026-04-01")
    );
    let text = m.body_text(0).unwrap();
    assert!(text.contains("Tickets opened"), "{text}");
    let opened = text
        .lines()
        .find(|l| l.starts_with("Tickets opened"))
        .unwrap();
    assert_eq!(
        opened.split_whitespace().collect::<Vec<_>>(),
        ["Tickets", "opened", "3", "0"]
    );
    let names: Vec<String> = m
        .attachments()
        .map(|a| a.attachment_name().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "report.csv",
            "trend.svg",
            "sla_by_priority.svg",
            "backlog_age.svg",
            "technicians.svg"
        ]
    );
    let csv = m.attachments().next().unwrap().contents();
    assert!(String::from_utf8_lossy(csv).contains("volume,opened,*,current,3"));

    let e = d
        .send_report(
            "sue",
            window.clone(),
            None,
            vec!["no address".into()],
            settings(sink.port),
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("to[0]"), "{e}");
    let e = d
        .send_report("sue", window, None, vec![], settings(sink.port))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("to"), "{e}");
    assert_eq!(sink.received().len(), 1, "nothing more was sent");
}
