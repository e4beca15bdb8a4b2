//! SVG charts drawn with plotters.
//!
//! plotters is built without its font features: chart text is written as
//! SVG `<text>` and drawn by the reader's browser, so building needs no font
//! files and no system fonts. Layout uses plotters' built-in size estimate;
//! the label areas below are sized with margin for it.
//!
//! Colours are from the Okabe–Ito palette, which stays distinct for the
//! common forms of colour blindness; series also differ in line style.

pub mod spark;
pub mod svg;

use crate::compute::rollup::{MonthPoint, Rollups, status_index};
use crate::content::i18n::Catalogue;
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

/// The viewBox width. Charts are shown about 540 px wide two per row on a
/// desktop and about 360 px wide on a phone; at 360 px every text below
/// (17 units) still renders at 12.75 px, at 540 px at 19 px.
pub const WIDTH: u32 = 480;
/// Tick labels, axis names and legend entries.
const TEXT: u32 = 17;
const TITLE: u32 = 19;
/// Height of one line of text, title or legend.
const LINE: i32 = 24;
const MARGIN: i32 = 12;
/// The plot with its axes, below the title and above the legend.
const PLOT_HEIGHT: u32 = 260;

/// Plotters' size for an SVG `font-size` of `px` (it writes size / 1.24;
/// exact for the sizes used here).
fn font(px: u32) -> f64 {
    px as f64 * 1.24
}

/// A generous width estimate for text in a sans-serif font, so that what is
/// laid out to fit does fit in the browser.
fn text_width(s: &str, px: u32) -> i32 {
    (s.chars().count() as f64 * px as f64 * 0.6).ceil() as i32
}

/// `s` shortened with `…` to fit `width`; the full text stays in the
/// chart's `<title>` and in the table below the chart.
fn fit(s: &str, width: i32, px: u32) -> String {
    if text_width(s, px) <= width {
        return s.to_string();
    }
    let keep = ((width as f64 / (px as f64 * 0.6)) as usize).saturating_sub(1);
    let mut out: String = s.chars().take(keep).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Greedy word wrap into at most `max_lines` lines of `width`; the last
/// line is shortened with `…` when text is left over.
fn wrap(s: &str, width: i32, px: u32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut words = s.split_whitespace().peekable();
    while let Some(word) = words.next() {
        if lines.len() == max_lines {
            let last = lines.pop().unwrap_or_default();
            let rest: Vec<&str> = std::iter::once(word).chain(words).collect();
            lines.push(fit(&format!("{last} {} …", rest.join(" ")), width, px));
            break;
        }
        let mut line = word.to_string();
        while let Some(next) = words.peek() {
            if text_width(&format!("{line} {next}"), px) > width {
                break;
            }
            line = format!("{line} {next}");
            words.next();
        }
        lines.push(fit(&line, width, px));
    }
    lines
}

/// How a legend entry shows its series.
enum Swatch {
    Line(RGBColor, bool),
    Block(RGBColor),
}

/// Legend entries placed left to right in rows below the plot, so they
/// never hide data or squeeze it sideways: (text, swatch, x, row).
fn legend_rows(items: Vec<(String, Swatch)>) -> Vec<(String, Swatch, i32, i32)> {
    let right = WIDTH as i32 - MARGIN;
    let (mut x, mut row) = (MARGIN, 0);
    let mut out = Vec::new();
    for (name, swatch) in items {
        let name = fit(&name, right - MARGIN - 26, TEXT);
        let w = 26 + text_width(&name, TEXT);
        if x > MARGIN && x + w > right {
            (x, row) = (MARGIN, row + 1);
        }
        out.push((name, swatch, x, row));
        x += w + 18;
    }
    out
}

fn legend_height(rows: &[(String, Swatch, i32, i32)]) -> u32 {
    rows.last().map_or(0, |l| (l.3 + 1) * LINE + 8) as u32
}

/// Draws the legend rows with their top at `top`.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    rows: &[(String, Swatch, i32, i32)],
    top: i32,
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let style = TextStyle::from((FONT, font(TEXT)).into_font())
        .color(&INK)
        .pos(TextPos::new(HPos::Left, VPos::Center));
    for (name, swatch, x, row) in rows {
        let (x, y) = (*x, top + row * LINE + LINE / 2);
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
        root.draw(&Text::new(name.clone(), (x + 26, y), style.clone()))?;
    }
    Ok(())
}

/// The title, wrapped to at most two lines across the chart.
fn title_lines(title: &str) -> Vec<String> {
    wrap(title, WIDTH as i32 - 2 * MARGIN, TITLE, 2)
}

fn title_height(lines: &[String]) -> u32 {
    (MARGIN + lines.len() as i32 * LINE + 6) as u32
}

fn draw_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[String],
) -> DrawResult<()>
where
    DB::ErrorType: 'static,
{
    let style = TextStyle::from((FONT, font(TITLE), FontStyle::Bold).into_font()).color(&INK);
    for (i, line) in lines.iter().enumerate() {
        root.draw(&Text::new(
            line.clone(),
            (MARGIN, MARGIN + i as i32 * LINE),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// Space for the y axis: its longest tick label and its rotated name.
fn y_area(longest_tick: &str) -> u32 {
    (text_width(longest_tick, TEXT) + 10 + LINE + 4) as u32
}

/// Space below the plot: tick labels and the axis name.
const X_AREA: u32 = 2 * LINE as u32 + 8;

/// Width of the plot itself, between the y axis and the right margin.
fn plot_width(y_area: u32) -> i32 {
    WIDTH as i32 - 2 * MARGIN - y_area as i32
}

/// An axis name that fits along its axis.
fn axis_name(s: &str, length: i32) -> String {
    fit(s, length - 8, TEXT)
}

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
    /// The viewBox size, for the page's `width`/`height` attributes.
    pub width: u32,
    pub height: u32,
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

/// Adds `role="img"`, a `<title>` and a `<desc>` to the SVG root, so the
/// chart is announced properly even when inlined or opened on its own.
/// The first `<title>` child names an SVG image (SVG-AAM). No ids: several
/// charts share an entry page, and ids would have to be unique there.
/// Text is escaped here and in the SVG writer, nowhere else.
fn accessible(svg: String, title: &str, desc: &str) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg;
    };
    let Some(end_rel) = svg[start..].find('>') else {
        return svg;
    };
    let end = start + end_rel + 1;
    let open = svg[start..end - 1].trim_end_matches('/');
    let mut out = String::with_capacity(svg.len() + title.len() + desc.len() + 40);
    out.push_str(&svg[..start]);
    out.push_str(open);
    out.push_str(" role=\"img\"><title>");
    crate::output::markup::escape_into(&mut out, title);
    out.push_str("</title><desc>");
    crate::output::markup::escape_into(&mut out, desc);
    out.push_str("</desc>");
    out.push_str(&svg[end..]);
    out
}

/// Drawn SVG with its viewBox height.
type Drawn = DrawResult<(String, u32)>;

pub fn line_chart(
    title: &str,
    y_label: &str,
    series: &[Series],
    rules: &[Rule],
    i18n: &Catalogue,
) -> Drawn {
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
    let with_day = span_days <= 200;
    let fmt = |d: &NaiveDate| i18n.chart_date(*d, with_day);
    let widest = [lo, hi, (lo + hi) / 2.0]
        .iter()
        .map(|v| format!("{}.5", trim_number(*v)))
        .max_by_key(|s| s.len())
        .unwrap_or_default();
    let y_area = y_area(&widest);
    let date_w = text_width(&fmt(&min_d), TEXT) + 16;
    // The last date label is centred on the right end of the axis.
    let right = MARGIN + date_w / 2;
    let x_labels = ((plot_width(y_area) - date_w / 2) / date_w).max(2) as usize;
    // Counts get whole-number ticks only.
    let whole = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(rules.iter().map(|r| r.value))
        .all(|v| v.fract() == 0.0);

    let titles = title_lines(title);
    let legend = legend_rows(
        series
            .iter()
            .map(|s| (s.name.clone(), Swatch::Line(s.colour, s.dashed)))
            .chain(
                rules
                    .iter()
                    .map(|r| (r.name.clone(), Swatch::Line(r.colour, true))),
            )
            .collect(),
    );
    let (top, bottom) = (title_height(&titles), legend_height(&legend));
    let height = top + PLOT_HEIGHT + bottom;
    let mut svg = String::new();
    {
        let root = svg::SvgString::compact(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw_title(&root, &titles)?;
        let plot = root.margin(top, bottom, MARGIN as u32, right as u32);
        let mut chart = ChartBuilder::on(&plot)
            .x_label_area_size(X_AREA)
            .y_label_area_size(y_area)
            .build_cartesian_2d(min_d..max_d, lo..hi)?;
        chart
            .configure_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(x_labels)
            .y_labels(if whole {
                ((hi - lo).floor() as usize + 1).clamp(2, 6)
            } else {
                6
            })
            .x_desc(i18n.t("chart-date"))
            .y_desc(axis_name(y_label, (PLOT_HEIGHT - X_AREA) as i32))
            .label_style((FONT, font(TEXT)).into_font().color(&INK))
            .axis_desc_style((FONT, font(TEXT)).into_font().color(&INK))
            .x_label_formatter(&fmt)
            .y_label_formatter(&|v| whole_tick(*v, whole))
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
        draw_legend(&root, &legend, (top + PLOT_HEIGHT) as i32)?;
        root.present()?;
    }
    Ok((svg, height))
}

fn trim_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A y tick label; with `whole`, ticks between whole numbers stay blank
/// (half an item means nothing).
fn whole_tick(v: f64, whole: bool) -> String {
    if whole && (v - v.round()).abs() >= 1e-9 {
        String::new()
    } else {
        trim_number(v)
    }
}

/// Category labels along a bar chart: every `step`-th one, shortened to
/// its share of the axis, so labels never overlap.
fn category_labels(categories: &[String], plot_w: i32) -> Vec<String> {
    let n = categories.len().max(1) as i32;
    let widest = categories
        .iter()
        .map(|c| text_width(c, TEXT))
        .max()
        .unwrap_or(0);
    let slot = plot_w / n;
    let step = ((widest + 8) as f64 / slot.max(1) as f64).ceil().max(1.0) as usize;
    categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i % step == 0 {
                fit(c, slot * step as i32 - 6, TEXT)
            } else {
                String::new()
            }
        })
        .collect()
}

/// Grouped bars: one group per category, one bar per series.
pub fn bar_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    categories: &[String],
    series: &[(String, RGBColor, Vec<usize>)],
) -> Drawn {
    let max = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let n_cat = categories.len().max(1);
    let n_ser = series.len().max(1);
    let top_value = (max as f64 * 1.15).ceil();
    let y_area = y_area(&trim_number(top_value));
    let cats = category_labels(categories, plot_width(y_area));
    let titles = title_lines(title);
    let legend = legend_rows(
        series
            .iter()
            .map(|(n, c, _)| (n.clone(), Swatch::Block(*c)))
            .collect(),
    );
    let (top, bottom) = (title_height(&titles), legend_height(&legend));
    let height = top + PLOT_HEIGHT + bottom;
    let mut svg = String::new();
    {
        let root = svg::SvgString::compact(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw_title(&root, &titles)?;
        let plot = root.margin(top, bottom, MARGIN as u32, MARGIN as u32);
        let mut chart = ChartBuilder::on(&plot)
            .x_label_area_size(X_AREA)
            .y_label_area_size(y_area)
            .build_cartesian_2d(0f64..n_cat as f64, 0f64..top_value)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(0)
            .bold_line_style(GRID)
            .x_labels(n_cat * 2 + 1)
            .y_labels(6)
            .x_desc(axis_name(x_label, plot_width(y_area)))
            .y_desc(axis_name(y_label, (PLOT_HEIGHT - X_AREA) as i32))
            .label_style((FONT, font(TEXT)).into_font().color(&INK))
            .axis_desc_style((FONT, font(TEXT)).into_font().color(&INK))
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                if (x - x.floor() - 0.5).abs() < 0.01 {
                    cats.get(i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| whole_tick(*v, true))
            .draw()?;
        let width = 0.8 / n_ser as f64;
        for (si, (_, colour, values)) in series.iter().enumerate() {
            let colour = *colour;
            chart.draw_series(values.iter().enumerate().map(|(ci, v)| {
                let x0 = ci as f64 + 0.1 + si as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.92, *v as f64)], colour.filled())
            }))?;
        }
        draw_legend(&root, &legend, (top + PLOT_HEIGHT) as i32)?;
        root.present()?;
    }
    Ok((svg, height))
}

/// A 3×3 grid of counts (benefit rows × effort columns), shaded by count.
pub fn matrix_chart(title: &str, counts: &[[usize; 3]; 3], i18n: &Catalogue) -> Drawn {
    let labels = LEVELS.map(|l| i18n.label(l));
    let max = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    let titles = title_lines(title);
    let head = title_height(&titles) as i32;
    // Row labels on the left, column labels above, axis names around.
    let widest = labels
        .iter()
        .map(|l| text_width(l, TEXT))
        .max()
        .unwrap_or(0);
    let left = MARGIN + widest + 12;
    let (cell_w, cell_h) = ((WIDTH as i32 - MARGIN - left) / 3, 64);
    let top = head + 2 * LINE + 4;
    let height = (top + 3 * cell_h + LINE + 16) as u32;
    let mut svg = String::new();
    {
        let root = svg::SvgString::compact(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw_title(&root, &titles)?;
        let axis = TextStyle::from((FONT, font(TEXT)).into_font()).color(&INK);
        let centred = axis.pos(TextPos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(
            format!("{} →", i18n.t("chart-effort-axis")),
            (left + cell_w * 3 / 2, top + cell_h * 3 + LINE / 2 + 6),
            centred.clone(),
        ))?;
        root.draw(&Text::new(
            format!("{} ↓", i18n.t("benefit")),
            (MARGIN, head),
            axis.clone(),
        ))?;
        for (i, label) in labels.iter().enumerate() {
            let i32i = i as i32;
            root.draw(&Text::new(
                *label,
                (left + cell_w * i32i + cell_w / 2, top - LINE / 2),
                centred.clone(),
            ))?;
            root.draw(&Text::new(
                *label,
                (MARGIN, top + cell_h * i32i + cell_h / 2),
                axis.pos(TextPos::new(HPos::Left, VPos::Center)),
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
                let big = TextStyle::from((FONT, font(24)).into_font())
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
    Ok((svg, height))
}

fn finish(
    file: &str,
    title: &str,
    description: String,
    svg: Drawn,
    table: Vec<Vec<String>>,
) -> Option<Chart> {
    let (svg, height) = svg.ok()?;
    Some(Chart {
        file: file.to_string(),
        title: title.to_string(),
        svg: accessible(svg, title, &description),
        width: WIDTH,
        height,
        description,
        table,
    })
}

fn month_label(m: &MonthPoint) -> String {
    m.month.clone()
}

/// The dashboard's charts. A register with no entries has none.
pub fn dashboard_charts(r: &Rollups, i18n: &Catalogue) -> Vec<Chart> {
    let t = |k: &str| i18n.t(k).to_string();
    let mut out = Vec::new();
    if r.months.is_empty() {
        return out;
    }
    let open_statuses = [Status::NotStarted, Status::Planned, Status::InProgress];

    // Open items by status, month by month.
    let mut series: Vec<Series> = open_statuses
        .iter()
        .map(|s| Series {
            name: i18n.label(*s).to_string(),
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
        name: t("chart-all-open"),
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
        t("chart-month"),
        i18n.label(Status::NotStarted).into(),
        i18n.label(Status::Planned).into(),
        i18n.label(Status::InProgress).into(),
        t("chart-all-open"),
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
    let title = i18n.t("chart-open-by-status");
    out.extend(finish(
        "open-by-status.svg",
        title,
        t("chart-open-by-status-desc"),
        line_chart(title, i18n.t("chart-open-items"), &series, &[], i18n),
        table,
    ));

    // Opened vs completed per month.
    let cats: Vec<String> = r.months.iter().map(month_label).collect();
    let title = i18n.t("chart-opened-completed");
    let series = vec![
        (
            t("chart-opened"),
            VERMILLION,
            r.months.iter().map(|m| m.opened).collect::<Vec<_>>(),
        ),
        (
            i18n.label(Status::Completed).to_string(),
            GREEN,
            r.months.iter().map(|m| m.completed).collect(),
        ),
    ];
    let mut table = vec![vec![
        t("chart-month"),
        t("chart-opened"),
        i18n.label(Status::Completed).into(),
    ]];
    table.extend(r.months.iter().map(|m| {
        vec![
            month_label(m),
            m.opened.to_string(),
            m.completed.to_string(),
        ]
    }));
    let short: Vec<String> = cats.iter().map(|c| short_month(c, i18n)).collect();
    out.extend(finish(
        "opened-completed.svg",
        title,
        t("chart-opened-completed-desc"),
        bar_chart(
            title,
            i18n.t("chart-month"),
            i18n.t("col-items"),
            &short,
            &series,
        ),
        table,
    ));

    // Overdue count over time.
    let title = i18n.t("chart-overdue");
    let series = vec![Series {
        name: t("col-overdue"),
        colour: VERMILLION,
        dashed: false,
        points: r.months.iter().map(|m| (m.day, m.overdue as f64)).collect(),
    }];
    let mut table = vec![vec![t("chart-month"), t("chart-overdue-at-month-end")]];
    table.extend(
        r.months
            .iter()
            .map(|m| vec![month_label(m), m.overdue.to_string()]),
    );
    out.extend(finish(
        "overdue.svg",
        title,
        t("chart-overdue-desc"),
        line_chart(title, i18n.t("chart-overdue-items"), &series, &[], i18n),
        table,
    ));

    // Priority × status.
    let title = i18n.t("chart-priority-status");
    let prios = LEVELS.map(|l| i18n.label(l));
    let series: Vec<(String, RGBColor, Vec<usize>)> = Status::ALL
        .iter()
        .map(|s| {
            (
                i18n.label(*s).to_string(),
                status_colour(*s),
                (0..3)
                    .map(|p| r.priority_status[p][status_index(*s)])
                    .collect(),
            )
        })
        .collect();
    let mut table = vec![
        std::iter::once(t("col-priority"))
            .chain(Status::ALL.iter().map(|s| i18n.label(*s).to_string()))
            .collect(),
    ];
    for (p, label) in prios.iter().enumerate() {
        table.push(
            std::iter::once(label.to_string())
                .chain(r.priority_status[p].iter().map(|n| n.to_string()))
                .collect(),
        );
    }
    let cats: Vec<String> = prios.iter().map(|p| p.to_string()).collect();
    out.extend(finish(
        "priority-status.svg",
        title,
        t("chart-priority-status-desc"),
        bar_chart(
            title,
            i18n.t("col-priority"),
            i18n.t("col-items"),
            &cats,
            &series,
        ),
        table,
    ));

    // Benefit × effort of open items.
    let title = i18n.t("chart-benefit-effort");
    let mut table = vec![vec![
        t("chart-benefit-effort-corner"),
        t("chart-high-effort"),
        t("chart-medium-effort"),
        t("chart-low-effort"),
    ]];
    for (b, key) in [
        "chart-high-benefit",
        "chart-medium-benefit",
        "chart-low-benefit",
    ]
    .iter()
    .enumerate()
    {
        table.push(
            std::iter::once(t(key))
                .chain(r.benefit_effort[b].iter().map(|n| n.to_string()))
                .collect(),
        );
    }
    let desc = i18n.t_args(
        "chart-benefit-effort-desc",
        &[("count", (r.benefit_effort_unrated as i64).into())],
    );
    out.extend(finish(
        "benefit-effort.svg",
        title,
        desc,
        matrix_chart(title, &r.benefit_effort, i18n),
        table,
    ));
    out
}

/// `2025-03` as `Mar 25`; the bar chart thins labels out to fit.
fn short_month(ym: &str, i18n: &Catalogue) -> String {
    NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d")
        .map(|d| i18n.month_short_year(d))
        .unwrap_or_else(|_| ym.to_string())
}

/// Benefit, effort and priority, highest first: the rows and columns of
/// the charts.
const LEVELS: [Level; 3] = [Level::High, Level::Medium, Level::Low];

/// A KPI's measurements against its baseline and target.
pub fn kpi_chart(entry_id: &str, index: usize, kpi: &Kpi, i18n: &Catalogue) -> Option<Chart> {
    let t = |k: &str| i18n.t(k).to_string();
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
        name: t("chart-measured"),
        colour: BLUE,
        dashed: false,
        points: kpi.measurements.iter().map(|m| (m.date, m.value)).collect(),
    }];
    let mut rules = Vec::new();
    if let Some(b) = kpi.baseline {
        rules.push(Rule {
            name: format!("{} {}", t("chart-baseline"), i18n.number(&trim_number(b))),
            colour: VERMILLION,
            value: b,
        });
    }
    if let Some(v) = kpi.target {
        rules.push(Rule {
            name: format!("{} {}", t("chart-target"), i18n.number(&trim_number(v))),
            colour: GREEN,
            value: v,
        });
    }
    let title = format!("{entry_id}: {}", kpi.name);
    let mut table = vec![vec![
        t("chart-date"),
        format!(
            "{}{}",
            t("chart-value"),
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
            .map(|m| vec![m.date.to_string(), i18n.number(&trim_number(m.value))]),
    );
    let number = |v: Option<f64>| {
        // `none` picks the message's variant without the figure.
        v.map(|v| i18n.number(&trim_number(v)))
            .unwrap_or_else(|| "none".into())
    };
    let desc = i18n.t_args(
        "chart-kpi-desc",
        &[
            ("count", (kpi.measurements.len() as i64).into()),
            ("name", kpi.name.clone().into()),
            ("direction", i18n.label(kpi.direction).to_lowercase().into()),
            ("baseline", number(kpi.baseline).into()),
            ("target", number(kpi.target).into()),
        ],
    );
    finish(
        &format!("kpi-{}.svg", index + 1),
        &title,
        desc,
        line_chart(&title, &y_label, &series, &rules, i18n),
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
        assert!(kpi_chart("A", 0, &kpi, &Catalogue::english()).is_none());
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
        assert!(kpi_chart("A", 0, &kpi, &Catalogue::english()).is_some());
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
        let c = kpi_chart("CI-002", 0, &kpi, &Catalogue::english()).unwrap();
        assert!(
            c.svg
                .contains("<title>CI-002: Click rate &lt;script&gt;</title>")
        );
        assert!(!c.svg.contains("<script"));
        assert!(!c.svg.contains("&amp;lt;"), "escaped twice: {}", c.svg);
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

    /// Every `font-size` in the SVG, and its viewBox width.
    fn font_sizes(svg: &str) -> (Vec<f64>, f64) {
        let sizes = svg
            .split("font-size=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
            .collect();
        let vb = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
        (sizes, vb.split(' ').next().unwrap().parse().unwrap())
    }

    fn kpi(name: &str, unit: Option<&str>) -> Kpi {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Kpi {
            name: name.into(),
            unit: unit.map(str::to_string),
            baseline: Some(1800.0),
            target: Some(250.5),
            direction: Direction::Decrease,
            measurements: (1..=12)
                .map(|m| Measurement {
                    date: d(&format!("2025-{m:02}-28")),
                    value: 2000.0 - m as f64 * 120.0,
                })
                .collect(),
        }
    }

    /// At 360 px wide (a phone) text must still render at 12 px or more.
    #[test]
    fn chart_text_is_at_least_12px_when_shown_360px_wide() {
        let cats: Vec<String> = (1..=36).map(|m| format!("Month {m}")).collect();
        let bars = vec![
            ("Opened".to_string(), VERMILLION, vec![3; 36]),
            ("Completed".to_string(), GREEN, vec![2; 36]),
        ];
        let charts = [
            kpi_chart(
                "CI-1",
                0,
                &kpi("Phishing click rate", Some("%")),
                &Catalogue::english(),
            )
            .unwrap()
            .svg,
            bar_chart("Opened and completed", "Month", "Items", &cats, &bars)
                .unwrap()
                .0,
            matrix_chart(
                "Benefit and effort",
                &[[1, 2, 3], [4, 5, 6], [7, 8, 9]],
                &Catalogue::english(),
            )
            .unwrap()
            .0,
        ];
        for svg in charts {
            let (sizes, width) = font_sizes(&svg);
            assert!(!sizes.is_empty());
            for s in sizes {
                assert!(s * 360.0 / width >= 12.0, "{s} in {width}: {svg}");
            }
        }
    }

    /// Text drawn from the left edge, with the estimate used for layout.
    fn texts(svg: &str) -> Vec<(i32, String, &str, u32)> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let x = t.split("x=\"").nth(1).unwrap();
                let x: i32 = x[..x.find('"').unwrap()].parse().unwrap();
                let anchor = t.split("text-anchor=\"").nth(1).unwrap();
                let anchor = &anchor[..anchor.find('"').unwrap()];
                let body = t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim();
                let px = t.split("font-size=\"").nth(1).unwrap();
                let px: f64 = px[..px.find('"').unwrap()].parse().unwrap();
                (x, body.to_string(), anchor, px as u32)
            })
            .collect()
    }

    #[test]
    fn long_names_wrap_or_shorten_and_stay_inside_the_chart() {
        let name = "Percentage of privileged accounts reviewed within the quarterly access recertification window across all business units";
        let c = kpi_chart("CI-042", 0, &kpi(name, None), &Catalogue::english()).unwrap();
        assert!(c.svg.contains(&format!("<title>CI-042: {name}</title>")));
        let texts = texts(&c.svg);
        let title: Vec<_> = texts
            .iter()
            .filter(|t| t.1.starts_with("CI-042") || t.1.ends_with('…'))
            .collect();
        assert!(!title.is_empty(), "{}", c.svg);
        for (x, body, anchor, px) in &texts {
            if *anchor == "start" {
                assert!(
                    x + text_width(body, *px) <= WIDTH as i32,
                    "`{body}` at {x} overflows: {}",
                    c.svg
                );
            }
        }
        // Without a unit the KPI name names the y axis, shortened to fit.
        assert!(
            texts
                .iter()
                .any(|t| t.1.starts_with("Percentage") && t.1.ends_with('…'))
        );
    }

    #[test]
    fn month_labels_thin_out_instead_of_overlapping() {
        let cats: Vec<String> = (0..36).map(|m| format!("Mon {m:02}")).collect();
        let shown: Vec<String> = category_labels(&cats, 380)
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
        assert!(shown.len() >= 3 && shown.len() <= 380 / text_width("Mon 00", TEXT) as usize);
        assert!(shown.iter().all(|l| !l.ends_with('…')), "{shown:?}");
    }

    #[test]
    fn wrapping_keeps_words_and_marks_what_is_cut() {
        assert_eq!(wrap("Open items", 400, TEXT, 2), vec!["Open items"]);
        let lines = wrap(
            "one two three four five six seven eight nine ten",
            120,
            TEXT,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l, TEXT) <= 120),
            "{lines:?}"
        );
    }
}
