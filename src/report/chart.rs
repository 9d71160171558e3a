//! A report's charts as SVG (plotters' SVG backend: text stays text, no font files):
//! the trend, SLA compliance by priority, the backlog by age and the per-technician load.

use foliodesk_core::report::series::AGE_LABELS;
use foliodesk_core::report::{Chart, Report};
use foliodesk_core::{Error, Result};
use plotters::prelude::*;

const SIZE: (u32, u32) = (800, 420);
const OPENED: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
const RESOLVED: RGBColor = RGBColor(0x2c, 0xa0, 0x2c);
const PREVIOUS: RGBColor = RGBColor(0xaa, 0xaa, 0xaa);

fn fail(e: impl std::fmt::Display) -> Error {
    Error::storage_msg(format!("cannot draw the chart: {e}"))
}

/// Bars: per category label, one value per series (name, colour).
struct Bars<'a> {
    title: &'a str,
    y_label: &'a str,
    labels: Vec<String>,
    series: Vec<(&'a str, RGBColor, Vec<f64>)>,
    y_max: Option<f64>,
}

fn bars(out: &mut String, b: Bars<'_>) -> Result<()> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(fail)?;
    let top = (b.series.iter().flat_map(|s| s.2.iter()).copied()).fold(0.0_f64, f64::max);
    let y_max = b.y_max.unwrap_or((top * 1.15).max(1.0));
    let n = b.labels.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(b.title, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..n as f64, 0.0..y_max)
        .map_err(fail)?;
    let labels = b.labels.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            labels.get(i).cloned().unwrap_or_default()
        })
        .y_desc(b.y_label)
        .draw()
        .map_err(fail)?;
    let width = 0.8 / b.series.len().max(1) as f64;
    for (k, (name, colour, values)) in b.series.iter().enumerate() {
        let rects = values.iter().enumerate().map(|(i, v)| {
            let x0 = i as f64 + 0.1 + k as f64 * width;
            Rectangle::new([(x0, 0.0), (x0 + width, *v)], colour.filled())
        });
        chart
            .draw_series(rects)
            .map_err(fail)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .map_err(fail)?;
    root.present().map_err(fail)
}

fn trend(out: &mut String, r: &Report) -> Result<()> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(fail)?;
    let top = (r.series.iter())
        .map(|p| p.opened.max(p.resolved))
        .max()
        .unwrap_or(0);
    let n = r.series.len();
    let mut chart = ChartBuilder::on(&root)
        .caption("Tickets opened and resolved", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0..n.max(1), 0..(top + top / 5 + 1))
        .map_err(fail)?;
    let starts: Vec<String> = r.series.iter().map(|p| p.start.to_string()).collect();
    chart
        .configure_mesh()
        .x_labels(n.clamp(1, 12))
        .x_label_formatter(&|i| starts.get(*i).cloned().unwrap_or_default())
        .y_desc("tickets")
        .draw()
        .map_err(fail)?;
    let lines = [
        (
            "opened",
            OPENED,
            r.series.iter().map(|p| p.opened).collect::<Vec<_>>(),
        ),
        (
            "resolved",
            RESOLVED,
            r.series.iter().map(|p| p.resolved).collect(),
        ),
    ];
    for (name, colour, values) in lines {
        let points = values.into_iter().enumerate();
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))
            .map_err(fail)?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .map_err(fail)?;
    root.present().map_err(fail)
}

/// `chart` of `report` as an SVG document.
pub fn svg(report: &Report, chart: Chart) -> Result<String> {
    let mut out = String::new();
    let (c, p) = (&report.current, &report.previous);
    match chart {
        Chart::Trend => trend(&mut out, report)?,
        Chart::SlaByPriority => {
            let labels: Vec<String> = (1..=5).map(|n| format!("P{n}")).collect();
            let of = |f: &foliodesk_core::report::Figures, n: usize| {
                f.sla_by_priority
                    .get(&n.to_string())
                    .map_or(0.0, |r| r.percent)
            };
            bars(
                &mut out,
                Bars {
                    title: "SLA compliance by priority",
                    y_label: "% of targets met",
                    labels,
                    series: vec![
                        ("previous", PREVIOUS, (1..=5).map(|n| of(p, n)).collect()),
                        ("this period", OPENED, (1..=5).map(|n| of(c, n)).collect()),
                    ],
                    y_max: Some(100.0),
                },
            )?;
        }
        Chart::BacklogAge => bars(
            &mut out,
            Bars {
                title: "Backlog by age",
                y_label: "tickets in hand",
                labels: AGE_LABELS.iter().map(|l| l.to_string()).collect(),
                series: vec![(
                    "in hand",
                    OPENED,
                    report.backlog.by_age.iter().map(|n| *n as f64).collect(),
                )],
                y_max: None,
            },
        )?,
        Chart::Technicians => bars(
            &mut out,
            Bars {
                title: "Tickets per technician",
                y_label: "tickets",
                labels: c.technicians.iter().map(|t| t.agent.clone()).collect(),
                series: vec![
                    (
                        "held",
                        OPENED,
                        c.technicians.iter().map(|t| t.volume as f64).collect(),
                    ),
                    (
                        "resolved",
                        RESOLVED,
                        c.technicians.iter().map(|t| t.resolved as f64).collect(),
                    ),
                ],
                y_max: None,
            },
        )?,
    }
    Ok(out)
}
