//! A sparkline: a KPI's trend small enough for a table cell. Drawn by
//! hand rather than through plotters: a polyline and an optional target
//! line need no axes, legend or text, and a page may list hundreds.

use super::trim_number;
use crate::content::i18n::Catalogue;
use crate::model::{Kpi, Measurement};

/// Width and height of every sparkline, in CSS pixels.
pub const WIDTH: u32 = 120;
pub const HEIGHT: u32 = 32;
/// Room around the line, so the stroke is not clipped.
const PAD: f64 = 3.0;

/// The KPI's measurements (already cut back to the as-of date) as a small
/// SVG with its values in words (in the site's language); `None` with
/// fewer than two measurements, where there is no trend to show, or with
/// values that are not finite.
pub fn sparkline(kpi: &Kpi, i18n: &Catalogue) -> Option<String> {
    let mut points: Vec<Measurement> = kpi.measurements.clone();
    points.sort_by_key(|m| m.date);
    if points.len() < 2 || points.iter().any(|m| !m.value.is_finite()) {
        return None;
    }
    let first = points.first()?.date;
    let last = points.last()?.date;
    let span_days = ((last - first).num_days() as f64).max(1.0);
    let target = kpi.target.filter(|t| t.is_finite());
    let values = points.iter().map(|m| m.value).chain(target);
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    let range = hi - lo;
    if !range.is_finite() {
        return None;
    }
    let (w, h) = (f64::from(WIDTH) - 2.0 * PAD, f64::from(HEIGHT) - 2.0 * PAD);
    let y = |v: f64| {
        if range == 0.0 {
            PAD + h / 2.0
        } else {
            PAD + h - (v - lo) / range * h
        }
    };
    let x = |m: &Measurement| PAD + (m.date - first).num_days() as f64 / span_days * w;
    let line: Vec<String> = points
        .iter()
        .map(|m| format!("{:.1},{:.1}", x(m), y(m.value)))
        .collect();
    let words = points
        .iter()
        .map(|m| {
            i18n.t_args(
                "spark-point",
                &[
                    ("value", i18n.number(&trim_number(m.value)).into()),
                    ("date", i18n.date(m.date).into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let label = i18n.t_args(
        "spark-label",
        &[
            ("name", kpi.name.clone().into()),
            ("values", words.into()),
            (
                "target",
                target
                    .map_or_else(|| "none".into(), |t| i18n.number(&trim_number(t)))
                    .into(),
            ),
        ],
    );
    let mut out = format!(
        "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\"><title>"
    );
    crate::output::markup::escape_into(&mut out, &label);
    out.push_str("</title>");
    if let Some(t) = target {
        let ty = y(t);
        out.push_str(&format!(
            "<line x1=\"{PAD}\" x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"#009E73\" stroke-dasharray=\"3 2\"/>",
            PAD + w
        ));
    }
    out.push_str(&format!(
        "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" points=\"{}\"/>",
        line.join(" ")
    ));
    let end = points.last()?;
    out.push_str(&format!(
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#0072B2\"/></svg>",
        x(end),
        y(end.value)
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;
    use chrono::NaiveDate;

    fn m(day: &str, value: f64) -> Measurement {
        Measurement {
            date: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
            value,
        }
    }

    #[test]
    fn a_sparkline_needs_two_finite_points_and_escapes_the_name() {
        let mut k = Kpi {
            name: "<b>Rate</b>".into(),
            unit: None,
            baseline: None,
            target: Some(5.0),
            direction: Direction::Decrease,
            measurements: vec![m("2026-01-31", 10.0)],
        };
        let en = Catalogue::english();
        assert!(sparkline(&k, &en).is_none());
        k.measurements.push(m("2026-02-28", 4.0));
        let s = sparkline(&k, &en).unwrap();
        assert!(s.contains("&lt;b&gt;Rate"), "{s}");
        assert!(s.contains("target 5"), "{s}");
        k.measurements.push(m("2026-03-31", f64::INFINITY));
        assert!(sparkline(&k, &en).is_none());
        // The same values: a flat line, no division by zero.
        k.measurements = vec![m("2026-01-31", 1.0), m("2026-01-31", 1.0)];
        k.target = None;
        assert!(sparkline(&k, &en).unwrap().contains("polyline"));
    }
}
