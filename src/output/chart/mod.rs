//! SVG charts drawn with plotters.
//!
//! plotters is built without its font features: chart text is written as
//! SVG `<text>` and drawn by the reader's browser, so building needs no font
//! files and no system fonts. Layout uses plotters' built-in size estimate;
//! the label areas below are sized with margin for it.
//!
//! Colours are from the Okabe–Ito palette, which stays distinct for the
//! common forms of colour blindness; series also differ in line style.

pub mod svg;

use crate::compute::rollup::{MonthPoint, Rollups, status_index};
use crate::model::Enumerated;
use crate::model::*;
use crate::output::chart::svg::Dashed;
use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as TextPos, VPos};

pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);

const FONT: &str = "sans-serif";
/// Legends sit in the right margin so they never hide data.
const LEGEND_WIDTH: u32 = 150;

/// How a legend entry shows its series.
enum Swatch {
    Line(RGBColor, bool),
    Block(RGBColor),
}

/// Draws the legend in the right margin, outside the plot.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Swatch)],
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let x = (WIDTH - LEGEND_WIDTH) as i32 + 8;
    let style = TextStyle::from((FONT, 12).into_font())
        .color(&INK)
        .pos(TextPos::new(HPos::Left, VPos::Center));
    for (i, (name, swatch)) in items.iter().enumerate() {
        let y = 56 + i as i32 * 22;
        match swatch {
            Swatch::Line(c, dashed) => {
                let st = ShapeStyle::from(c).stroke_width(3);
                if *dashed {
                    root.draw(&PathElement::new(vec![(x, y), (x + 7, y)], st))?;
                    root.draw(&PathElement::new(vec![(x + 11, y), (x + 18, y)], st))?;
                } else {
                    root.draw(&PathElement::new(vec![(x, y), (x + 18, y)], st))?;
                }
            }
            Swatch::Block(c) => root.draw(&Rectangle::new(
                [(x + 3, y - 6), (x + 15, y + 6)],
                c.filled(),
            ))?,
        }
        root.draw(&Text::new(name.clone(), (x + 24, y), style.clone()))?;
    }
    Ok(())
}
const WIDTH: u32 = 720;
const HEIGHT: u32 = 360;

pub fn status_colour(s: Status) -> RGBColor {
    match s {
        Status::NotStarted => PURPLE,
        Status::Planned => SKY,
        Status::InProgress => ORANGE,
        Status::Completed => GREEN,
        Status::Cancelled => INK,
    }
}

/// A chart ready to write: the SVG, and its text alternative.
#[derive(Debug, Clone)]
pub struct Chart {
    pub file: String,
    pub title: String,
    pub description: String,
    pub svg: String,
    /// The numbers behind it: header row, then data rows.
    pub table: Vec<Vec<String>>,
}

/// One line of a line chart.
pub struct Series {
    pub name: String,
    pub colour: RGBColor,
    pub dashed: bool,
    pub points: Vec<(NaiveDate, f64)>,
}

/// A line across the whole chart, such as a KPI's baseline or target.
pub struct Rule {
    pub name: String,
    pub colour: RGBColor,
    pub value: f64,
}

type DrawResult<T> = Result<T, Box<dyn std::error::Error>>;

/// For text this module writes into the SVG itself (the root's `<title>`
/// and `<desc>`). Text drawn through plotters is not escaped here: the SVG
/// writer ([`svg`]) escapes everything it writes, exactly once.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Adds `role="img"`, a `<title>` and a `<desc>` to the SVG root, so the
/// chart is announced properly even when inlined or opened on its own.
/// The first `<title>` child names an SVG image (SVG-AAM); no
/// `aria-labelledby`, which the Nu HTML Checker refuses on a standalone SVG.
fn accessible(svg: String, title: &str, desc: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg;
    };
    let Some(end_rel) = svg[start..].find('>') else {
        return svg;
    };
    let end = start + end_rel + 1;
    let open = svg[start..end - 1].trim_end_matches('/');
    format!(
        "{}{} role=\"img\"><title id=\"t\">{}</title><desc id=\"d\">{}</desc>{}",
        &svg[..start],
        open,
        esc(title),
        esc(desc),
        &svg[end..]
    )
}

pub fn line_chart(
    title: &str,
    y_label: &str,
    series: &[Series],
    rules: &[Rule],
) -> DrawResult<String> {
    let dates = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (Some(min_d), Some(max_d)) = (dates.clone().min(), dates.max()) else {
        return Err("no data".into());
    };
    let max_d = if max_d <= min_d {
        min_d + chrono::Duration::days(30)
    } else {
        max_d
    };
    let values = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(rules.iter().map(|r| r.value));
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    // Absurd magnitudes (a typo like 1e300) would overflow the axis maths.
    if !(lo.abs() < 1e12 && hi.abs() < 1e12) {
        return Err("values out of chartable range".into());
    }
    let lo = if lo >= 0.0 { 0.0 } else { lo * 1.1 };
    let hi = if hi <= lo {
        lo + 1.0
    } else {
        hi + (hi - lo) * 0.1
    };
    let span_days = (max_d - min_d).num_days();
    let fmt = if span_days > 200 { "%b %Y" } else { "%d %b %Y" };

    let mut svg = String::new();
    {
        let root = crate::output::chart::svg::SvgString::with_string(&mut svg, (WIDTH, HEIGHT))
            .into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18).into_font().color(&INK))
            .margin(14)
            .margin_right(LEGEND_WIDTH)
            .x_label_area_size(46)
            .y_label_area_size(64)
            .build_cartesian_2d(min_d..max_d, lo..hi)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(6)
            .y_labels(6)
            .x_desc("Date")
            .y_desc(y_label)
            .label_style((FONT, 12).into_font().color(&INK))
            .axis_desc_style((FONT, 13).into_font().color(&INK))
            .x_label_formatter(&|d| d.format(fmt).to_string())
            .y_label_formatter(&|v| trim_number(*v))
            .draw()?;
        for r in rules {
            let style = ShapeStyle::from(&r.colour).stroke_width(2);
            chart.draw_series([Dashed::new(
                vec![(min_d, r.value), (max_d, r.value)],
                6,
                4,
                style,
            )])?;
        }
        for s in series {
            let style = ShapeStyle::from(&s.colour).stroke_width(if s.dashed { 2 } else { 3 });
            let points = s.points.clone();
            if s.dashed {
                chart.draw_series([Dashed::new(points.clone(), 8, 4, style)])?;
            } else {
                chart.draw_series(LineSeries::new(points.clone(), style))?;
            }
            chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, s.colour.filled())))?;
        }
        let legend: Vec<(String, Swatch)> = series
            .iter()
            .map(|s| (s.name.clone(), Swatch::Line(s.colour, s.dashed)))
            .chain(
                rules
                    .iter()
                    .map(|r| (r.name.clone(), Swatch::Line(r.colour, true))),
            )
            .collect();
        draw_legend(&root, &legend)?;
        root.present()?;
    }
    Ok(svg)
}

fn trim_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Grouped bars: one group per category, one bar per series.
pub fn bar_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    categories: &[String],
    series: &[(String, RGBColor, Vec<usize>)],
) -> DrawResult<String> {
    let max = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let n_cat = categories.len().max(1);
    let n_ser = series.len().max(1);
    let mut svg = String::new();
    {
        let root = crate::output::chart::svg::SvgString::with_string(&mut svg, (WIDTH, HEIGHT))
            .into_drawing_area();
        root.fill(&WHITE)?;
        let top = (max as f64 * 1.15).ceil();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 18).into_font().color(&INK))
            .margin(14)
            .margin_right(LEGEND_WIDTH)
            .x_label_area_size(46)
            .y_label_area_size(64)
            .build_cartesian_2d(0f64..n_cat as f64, 0f64..top)?;
        let cats: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(n_cat * 2 + 1)
            .y_labels(6)
            .x_desc(x_label)
            .y_desc(y_label)
            .label_style((FONT, 12).into_font().color(&INK))
            .axis_desc_style((FONT, 13).into_font().color(&INK))
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                if (x - x.floor() - 0.5).abs() < 0.01 {
                    cats.get(i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| {
                if (v - v.round()).abs() < 1e-9 {
                    trim_number(*v)
                } else {
                    String::new()
                }
            })
            .draw()?;
        let width = 0.8 / n_ser as f64;
        for (si, (_, colour, values)) in series.iter().enumerate() {
            let colour = *colour;
            chart.draw_series(values.iter().enumerate().map(|(ci, v)| {
                let x0 = ci as f64 + 0.1 + si as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.92, *v as f64)], colour.filled())
            }))?;
        }
        let legend: Vec<(String, Swatch)> = series
            .iter()
            .map(|(n, c, _)| (n.to_string(), Swatch::Block(*c)))
            .collect();
        draw_legend(&root, &legend)?;
        root.present()?;
    }
    Ok(svg)
}

/// A 3×3 grid of counts (benefit rows × effort columns), shaded by count.
pub fn matrix_chart(title: &str, counts: &[[usize; 3]; 3]) -> DrawResult<String> {
    let labels = ["High", "Medium", "Low"];
    let max = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = crate::output::chart::svg::SvgString::with_string(&mut svg, (WIDTH, HEIGHT))
            .into_drawing_area();
        root.fill(&WHITE)?;
        let (cell_w, cell_h, left, top) = (150i32, 80i32, 200i32, 60i32);
        let title_style = TextStyle::from((FONT, 18).into_font()).color(&INK);
        root.draw(&Text::new(title, (14, 14), title_style))?;
        let axis = TextStyle::from((FONT, 13).into_font()).color(&INK);
        let centred = axis.pos(TextPos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(
            "Effort (resources needed) →",
            (left + cell_w * 3 / 2, top + cell_h * 3 + 24),
            centred.clone(),
        ))?;
        root.draw(&Text::new(
            "Benefit ↓",
            (left - 120, top - 16),
            axis.clone(),
        ))?;
        for (i, label) in labels.iter().enumerate() {
            let i32i = i as i32;
            root.draw(&Text::new(
                *label,
                (left + cell_w * i32i + cell_w / 2, top - 14),
                centred.clone(),
            ))?;
            root.draw(&Text::new(
                *label,
                (left - 60, top + cell_h * i32i + cell_h / 2),
                centred.clone(),
            ))?;
        }
        for (r, row) in counts.iter().enumerate() {
            for (c, n) in row.iter().enumerate() {
                let (x, y) = (left + cell_w * c as i32, top + cell_h * r as i32);
                let shade = 0.12 + 0.75 * (*n as f64 / max as f64);
                root.draw(&Rectangle::new(
                    [(x, y), (x + cell_w, y + cell_h)],
                    BLUE.mix(shade).filled(),
                ))?;
                root.draw(&Rectangle::new(
                    [(x, y), (x + cell_w, y + cell_h)],
                    ShapeStyle::from(&WHITE).stroke_width(2),
                ))?;
                let colour = if shade > 0.5 { WHITE } else { INK };
                let big = TextStyle::from((FONT, 24).into_font())
                    .color(&colour)
                    .pos(TextPos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(
                    n.to_string(),
                    (x + cell_w / 2, y + cell_h / 2),
                    big,
                ))?;
            }
        }
        root.present()?;
    }
    Ok(svg)
}

fn finish(
    file: &str,
    title: &str,
    description: String,
    svg: DrawResult<String>,
    table: Vec<Vec<String>>,
) -> Option<Chart> {
    let svg = svg.ok()?;
    Some(Chart {
        file: file.to_string(),
        title: title.to_string(),
        svg: accessible(svg, title, &description),
        description,
        table,
    })
}

fn month_label(m: &MonthPoint) -> String {
    m.month.clone()
}

/// The dashboard's charts. A register with no entries has none.
pub fn dashboard_charts(r: &Rollups) -> Vec<Chart> {
    let mut out = Vec::new();
    if r.months.is_empty() {
        return out;
    }
    let open_statuses = [Status::NotStarted, Status::Planned, Status::InProgress];

    // Open items by status, month by month.
    let mut series: Vec<Series> = open_statuses
        .iter()
        .map(|s| Series {
            name: s.label().to_string(),
            colour: status_colour(*s),
            dashed: false,
            points: r
                .months
                .iter()
                .map(|m| (m.day, m.by_status[status_index(*s)].1 as f64))
                .collect(),
        })
        .collect();
    series.push(Series {
        name: "All open".into(),
        colour: BLUE,
        dashed: true,
        points: r
            .months
            .iter()
            .map(|m| {
                (
                    m.day,
                    open_statuses
                        .iter()
                        .map(|s| m.by_status[status_index(*s)].1)
                        .sum::<usize>() as f64,
                )
            })
            .collect(),
    });
    let mut table = vec![vec![
        "Month".to_string(),
        "Not started".into(),
        "Planned".into(),
        "In progress".into(),
        "All open".into(),
    ]];
    for m in &r.months {
        let v: Vec<usize> = open_statuses
            .iter()
            .map(|s| m.by_status[status_index(*s)].1)
            .collect();
        table.push(vec![
            month_label(m),
            v[0].to_string(),
            v[1].to_string(),
            v[2].to_string(),
            v.iter().sum::<usize>().to_string(),
        ]);
    }
    let title = "Open items by status over time";
    out.extend(finish(
        "open-by-status.svg",
        title,
        "Line chart of the number of open register items at each month end, by status.".into(),
        line_chart(title, "Open items", &series, &[]),
        table,
    ));

    // Opened vs completed per month.
    let cats: Vec<String> = r.months.iter().map(month_label).collect();
    let title = "Opened and completed per month";
    let series = vec![
        (
            "Opened".to_string(),
            VERMILLION,
            r.months.iter().map(|m| m.opened).collect::<Vec<_>>(),
        ),
        (
            "Completed".to_string(),
            GREEN,
            r.months.iter().map(|m| m.completed).collect(),
        ),
    ];
    let mut table = vec![vec![
        "Month".to_string(),
        "Opened".into(),
        "Completed".into(),
    ]];
    table.extend(r.months.iter().map(|m| {
        vec![
            month_label(m),
            m.opened.to_string(),
            m.completed.to_string(),
        ]
    }));
    let short: Vec<String> = cats.iter().map(|c| short_month(c, cats.len())).collect();
    out.extend(finish(
        "opened-completed.svg",
        title,
        "Bar chart of items identified and items completed in each month.".into(),
        bar_chart(title, "Month", "Items", &short, &series),
        table,
    ));

    // Overdue count over time.
    let title = "Overdue items over time";
    let series = vec![Series {
        name: "Overdue".into(),
        colour: VERMILLION,
        dashed: false,
        points: r.months.iter().map(|m| (m.day, m.overdue as f64)).collect(),
    }];
    let mut table = vec![vec!["Month".to_string(), "Overdue at month end".into()]];
    table.extend(
        r.months
            .iter()
            .map(|m| vec![month_label(m), m.overdue.to_string()]),
    );
    out.extend(finish(
        "overdue.svg",
        title,
        "Line chart of the number of open items past their target date at each month end.".into(),
        line_chart(title, "Overdue items", &series, &[]),
        table,
    ));

    // Priority × status.
    let title = "Items by priority and status";
    let prios = ["High", "Medium", "Low"];
    let series: Vec<(String, RGBColor, Vec<usize>)> = Status::ALL
        .iter()
        .map(|s| {
            (
                s.label().to_string(),
                status_colour(*s),
                (0..3)
                    .map(|p| r.priority_status[p][status_index(*s)])
                    .collect(),
            )
        })
        .collect();
    let mut table = vec![
        std::iter::once("Priority".to_string())
            .chain(Status::ALL.iter().map(|s| s.label().to_string()))
            .collect(),
    ];
    for (p, label) in prios.iter().enumerate() {
        table.push(
            std::iter::once(label.to_string())
                .chain(r.priority_status[p].iter().map(|n| n.to_string()))
                .collect(),
        );
    }
    let cats: Vec<String> = prios.iter().map(|p| format!("{p} priority")).collect();
    out.extend(finish(
        "priority-status.svg",
        title,
        "Grouped bar chart of register items per priority, one bar per status.".into(),
        bar_chart(title, "Priority", "Items", &cats, &series),
        table,
    ));

    // Benefit × effort of open items.
    let title = "Open items by benefit and effort";
    let mut table = vec![vec![
        "Benefit \\ Effort".to_string(),
        "High effort".into(),
        "Medium effort".into(),
        "Low effort".into(),
    ]];
    for (b, label) in prios.iter().enumerate() {
        table.push(
            std::iter::once(format!("{label} benefit"))
                .chain(r.benefit_effort[b].iter().map(|n| n.to_string()))
                .collect(),
        );
    }
    out.extend(finish("benefit-effort.svg", title, format!("Grid of open items by expected benefit (rows) and effort (columns); high benefit with low effort is the top right. {} open items have no benefit or effort rating.", r.benefit_effort_unrated), matrix_chart(title, &r.benefit_effort), table));
    out
}

/// Month labels thin out as the period grows, so bars stay legible.
fn short_month(ym: &str, n: usize) -> String {
    let Some(d) = NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d").ok() else {
        return ym.to_string();
    };
    use chrono::Datelike;
    let every = (n / 12).max(1) as u32;
    if n <= 12 || (d.month0() % (every * 3)) == 0 {
        d.format("%b %y").to_string()
    } else {
        String::new()
    }
}

/// A KPI's measurements against its baseline and target.
pub fn kpi_chart(entry_id: &str, index: usize, kpi: &Kpi) -> Option<Chart> {
    if kpi.measurements.is_empty() {
        return None;
    }
    let unit = kpi.unit.clone().unwrap_or_default();
    let y_label = if unit.is_empty() {
        kpi.name.clone()
    } else {
        unit.clone()
    };
    let series = vec![Series {
        name: "Measured".into(),
        colour: BLUE,
        dashed: false,
        points: kpi.measurements.iter().map(|m| (m.date, m.value)).collect(),
    }];
    let mut rules = Vec::new();
    if let Some(b) = kpi.baseline {
        rules.push(Rule {
            name: format!("Baseline {}", trim_number(b)),
            colour: VERMILLION,
            value: b,
        });
    }
    if let Some(t) = kpi.target {
        rules.push(Rule {
            name: format!("Target {}", trim_number(t)),
            colour: GREEN,
            value: t,
        });
    }
    let title = format!("{entry_id}: {}", kpi.name);
    let mut table = vec![vec![
        "Date".to_string(),
        format!(
            "Value{}",
            if unit.is_empty() {
                String::new()
            } else {
                format!(" ({unit})")
            }
        ),
    ]];
    table.extend(
        kpi.measurements
            .iter()
            .map(|m| vec![m.date.to_string(), trim_number(m.value)]),
    );
    let desc = format!(
        "Line chart of {} measurements of {}; {}{}{}.",
        kpi.measurements.len(),
        kpi.name,
        kpi.direction.label().to_lowercase(),
        kpi.baseline
            .map(|b| format!(", baseline {}", trim_number(b)))
            .unwrap_or_default(),
        kpi.target
            .map(|t| format!(", target {}", trim_number(t)))
            .unwrap_or_default(),
    );
    finish(
        &format!("kpi-{}.svg", index + 1),
        &title,
        desc,
        line_chart(&title, &y_label, &series, &rules),
        table,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_values_give_no_chart_rather_than_a_panic() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let kpi = Kpi {
            name: "x".into(),
            unit: None,
            baseline: Some(-1e300),
            target: None,
            direction: Direction::Increase,
            measurements: vec![
                Measurement {
                    date: d("0001-01-01"),
                    value: 1e300,
                },
                Measurement {
                    date: d("9999-12-31"),
                    value: 0.0,
                },
            ],
        };
        assert!(kpi_chart("A", 0, &kpi).is_none());
        let kpi = Kpi {
            baseline: None,
            measurements: vec![
                Measurement {
                    date: d("0001-01-01"),
                    value: 1.0,
                },
                Measurement {
                    date: d("9999-12-31"),
                    value: 2.0,
                },
            ],
            ..kpi
        };
        assert!(kpi_chart("A", 0, &kpi).is_some());
    }

    #[test]
    fn kpi_chart_has_title_axes_legend_and_escapes_labels() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let kpi = Kpi {
            name: "Click rate <script>".into(),
            unit: Some("%".into()),
            baseline: Some(18.0),
            target: Some(5.0),
            direction: Direction::Decrease,
            measurements: vec![
                Measurement {
                    date: d("2025-01-31"),
                    value: 15.0,
                },
                Measurement {
                    date: d("2025-06-30"),
                    value: 7.5,
                },
            ],
        };
        let c = kpi_chart("CI-002", 0, &kpi).unwrap();
        assert!(
            c.svg
                .contains("<title id=\"t\">CI-002: Click rate &lt;script&gt;</title>")
        );
        assert!(!c.svg.contains("<script"));
        assert!(c.svg.contains("Baseline 18"));
        assert!(c.svg.contains("Target 5"));
        assert!(
            c.svg.contains("Jan 2025") || c.svg.contains("2025"),
            "dates on the time axis"
        );
        assert_eq!(c.table.len(), 3);
        // Baseline and target: one dashed line each, level, across the plot.
        let dashed: Vec<&str> = c
            .svg
            .lines()
            .filter(|l| l.contains("stroke-dasharray=\"6 4\""))
            .collect();
        assert_eq!(dashed.len(), 2, "{}", c.svg);
        for line in dashed {
            let points = line.split("points=\"").nth(1).unwrap();
            let points = &points[..points.find('"').unwrap()];
            let ys: Vec<&str> = points
                .split_whitespace()
                .filter_map(|p| p.split(',').nth(1))
                .collect();
            assert!(ys.len() == 2 && ys[0] == ys[1], "{line}");
        }
    }

    /// A caption with markup characters reads as written: escaped once by
    /// the SVG writer, not a second time before it (`R&amp;D` on screen).
    #[test]
    fn chart_text_is_escaped_exactly_once() {
        let name = "R&D <recertified>";
        let kpi = Kpi {
            name: name.into(),
            unit: None,
            baseline: None,
            target: None,
            direction: Direction::Increase,
            measurements: vec![Measurement {
                date: NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(),
                value: 3.0,
            }],
        };
        let c = kpi_chart("CI-001", 0, &kpi).unwrap();
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| {
                let text: String = n
                    .descendants()
                    .filter(|t| t.is_text())
                    .filter_map(|t| t.text())
                    .collect();
                text.trim().to_string()
            })
            .collect();
        assert!(
            texts.iter().any(|t| t == &format!("CI-001: {name}")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t == name), "the y axis: {texts:?}");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("&amp;") || t.contains("&lt;")),
            "{texts:?}"
        );
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some(format!("CI-001: {name}").as_str()));
    }
}
