//! A plotters drawing backend that writes SVG text, byte for byte what
//! plotters' own `SVGBackend` (plotters-svg 0.3.7) writes, only faster.
//!
//! Charts are the largest single cost of a build (one per KPI, thousands in
//! a large register), and most of it was the stock backend formatting every
//! number through `format!` into a fresh `String` and then escaping it
//! character by character. Here numbers go straight into the output buffer
//! and only text that can hold markup characters is escaped. Layout stays
//! with plotters; `tests::same_bytes_as_plotters_svg` keeps the two in step.
//!
//! One addition: [`Dashed`], a dashed line written as one element with
//! `stroke-dasharray`. Plotters' dashed series writes one element per
//! dash — a KPI chart's target and baseline were two thirds of its bytes.
//!
//! And a compact form ([`SvgString::compact`]) for charts written into
//! every entry page: the same drawing without what SVG assumes anyway
//! (`opacity="1"`, a font family repeated on each text that the root
//! states once, line breaks around text), a fifth of a KPI chart's bytes.

use crate::output::markup::escape_into;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::DrawingBackend;
use plotters::style::ShapeStyle;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};
use std::fmt::Write as _;

/// Draws into a `String`; the document is complete after `present`.
pub struct SvgString<'a> {
    buf: &'a mut String,
    size: (u32, u32),
    /// Elements left open (`svg`, `text`), closed innermost first.
    open: Vec<&'static str>,
    saved: bool,
    /// Leave out what SVG assumes; text in [`COMPACT_FONT`] names no font.
    compact: bool,
}

/// The font family the compact form states once, on the root.
pub const COMPACT_FONT: &str = "sans-serif";

/// Cannot happen (writing to a `String`), but the trait wants a type.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("svg output error")
    }
}

impl std::error::Error for Never {}

type Res = Result<(), DrawingErrorKind<Never>>;

/// Writes an integer without going through `fmt` machinery.
fn int(buf: &mut String, v: i64) {
    if v < 0 {
        buf.push('-');
    }
    let mut n = v.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        buf.push(*d as char);
    }
}

/// `Display` of an `f64`, as plotters writes opacity and font size.
fn float(buf: &mut String, v: f64) {
    if v == 1.0 {
        buf.push('1');
    } else {
        let _ = write!(buf, "{v}");
    }
}

fn colour(buf: &mut String, c: BackendColor) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let (r, g, b) = c.rgb;
    buf.push('#');
    for byte in [r, g, b] {
        buf.push(HEX[(byte >> 4) as usize] as char);
        buf.push(HEX[(byte & 15) as usize] as char);
    }
}

/// One attribute: ` name="`, the value written by `value`, `"`.
fn attr(buf: &mut String, name: &str, value: impl FnOnce(&mut String)) {
    buf.push(' ');
    buf.push_str(name);
    buf.push_str("=\"");
    value(buf);
    buf.push('"');
}

fn int_attr(buf: &mut String, name: &str, v: i64) {
    attr(buf, name, |b| int(b, v));
}

/// `opacity`, left out in the compact form when fully opaque (the default).
fn opacity(buf: &mut String, alpha: f64, compact: bool) {
    if !(compact && alpha == 1.0) {
        attr(buf, "opacity", |b| float(b, alpha));
    }
}

fn opacity_stroke(buf: &mut String, c: BackendColor, width: u32, compact: bool) {
    opacity(buf, c.alpha, compact);
    attr(buf, "stroke", |b| colour(b, c));
    int_attr(buf, "stroke-width", width as i64);
}

/// Opacity, then either a fill or an outline in the colour.
fn paint(buf: &mut String, c: BackendColor, fill: bool, compact: bool) {
    opacity(buf, c.alpha, compact);
    if fill {
        attr(buf, "fill", |b| colour(b, c));
        buf.push_str(" stroke=\"none\"");
    } else {
        buf.push_str(" fill=\"none\"");
        attr(buf, "stroke", |b| colour(b, c));
    }
}

fn points_attr(buf: &mut String, path: impl IntoIterator<Item = BackendCoord>) {
    attr(buf, "points", |b| {
        for (x, y) in path {
            int(b, x as i64);
            b.push(',');
            int(b, y as i64);
            b.push(' ');
        }
    });
}

impl<'a> SvgString<'a> {
    pub fn with_string(buf: &'a mut String, size: (u32, u32)) -> Self {
        Self::start(buf, size, false)
    }

    /// The compact form; see the module comment.
    pub fn compact(buf: &'a mut String, size: (u32, u32)) -> Self {
        Self::start(buf, size, true)
    }

    fn start(buf: &'a mut String, size: (u32, u32), compact: bool) -> Self {
        buf.push_str("<svg");
        int_attr(buf, "width", size.0 as i64);
        int_attr(buf, "height", size.1 as i64);
        attr(buf, "viewBox", |b| {
            b.push_str("0 0 ");
            int(b, size.0 as i64);
            b.push(' ');
            int(b, size.1 as i64);
        });
        attr(buf, "xmlns", |b| b.push_str("http://www.w3.org/2000/svg"));
        if compact {
            attr(buf, "font-family", |b| b.push_str(COMPACT_FONT));
        }
        buf.push_str(">\n");
        SvgString {
            buf,
            size,
            open: vec!["svg"],
            saved: false,
            compact,
        }
    }

    /// One empty element `<tag …/>`, unless the colour is fully transparent
    /// (plotters-svg draws nothing then).
    fn element(&mut self, c: BackendColor, tag: &str, attrs: impl FnOnce(&mut String)) -> Res {
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.buf.push('<');
        self.buf.push_str(tag);
        attrs(self.buf);
        self.buf.push_str("/>\n");
        Ok(())
    }

    fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            self.buf.push_str("</");
            self.buf.push_str(tag);
            self.buf.push_str(">\n");
        }
    }
}

/// A dashed line through `points` (chart coordinates), drawn by the SVG
/// renderer from `stroke-dasharray`: the same dashes as plotters'
/// `DashedLineSeries` (`dash` pixels drawn, `gap` skipped, from the first
/// point), as one element.
pub struct Dashed<Coord> {
    points: Vec<Coord>,
    dash: u32,
    gap: u32,
    style: ShapeStyle,
}

impl<Coord> Dashed<Coord> {
    pub fn new(points: Vec<Coord>, dash: u32, gap: u32, style: ShapeStyle) -> Self {
        Dashed {
            points,
            dash,
            gap,
            style,
        }
    }
}

impl<'a, Coord> PointCollection<'a, Coord> for &'a Dashed<Coord> {
    type Point = &'a Coord;
    type IntoIter = &'a [Coord];
    fn point_iter(self) -> &'a [Coord] {
        &self.points
    }
}

impl<Coord> Drawable<SvgString<'_>> for Dashed<Coord> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        points: I,
        backend: &mut SvgString<'_>,
        _: (u32, u32),
    ) -> Res {
        let c = BackendStyle::color(&self.style);
        if c.alpha == 0.0 {
            return Ok(());
        }
        let compact = backend.compact;
        let b = &mut *backend.buf;
        b.push_str("<polyline fill=\"none\"");
        opacity_stroke(b, c, BackendStyle::stroke_width(&self.style), compact);
        attr(b, "stroke-dasharray", |b| {
            int(b, self.dash as i64);
            b.push(' ');
            int(b, self.gap as i64);
        });
        points_attr(b, points);
        b.push_str("/>\n");
        Ok(())
    }
}

impl DrawingBackend for SvgString<'_> {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Res {
        Ok(())
    }

    fn present(&mut self) -> Res {
        if !self.saved {
            while !self.open.is_empty() {
                self.close();
            }
            self.saved = true;
        }
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        let compact = self.compact;
        self.element(color, "rect", |b| {
            int_attr(b, "x", point.0 as i64);
            int_attr(b, "y", point.1 as i64);
            b.push_str(" width=\"1\" height=\"1\" stroke=\"none\"");
            opacity(b, color.alpha, compact);
            attr(b, "fill", |b| colour(b, color));
        })
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Res {
        let (c, compact) = (style.color(), self.compact);
        self.element(c, "line", |b| {
            opacity_stroke(b, c, style.stroke_width(), compact);
            int_attr(b, "x1", from.0 as i64);
            int_attr(b, "y1", from.1 as i64);
            int_attr(b, "x2", to.0 as i64);
            int_attr(b, "y2", to.1 as i64);
        })
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        let (c, compact) = (style.color(), self.compact);
        self.element(c, "rect", |b| {
            int_attr(b, "x", upper_left.0 as i64);
            int_attr(b, "y", upper_left.1 as i64);
            int_attr(b, "width", (bottom_right.0 - upper_left.0) as i64);
            int_attr(b, "height", (bottom_right.1 - upper_left.1) as i64);
            paint(b, c, fill, compact);
        })
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        let c = style.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let compact = self.compact;
        let b = &mut *self.buf;
        b.push_str("<polyline fill=\"none\"");
        opacity_stroke(b, c, style.stroke_width(), compact);
        points_attr(b, path);
        b.push_str("/>\n");
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        let (c, compact) = (style.color(), self.compact);
        self.element(c, "polygon", |b| {
            opacity(b, c.alpha, compact);
            attr(b, "fill", |b| colour(b, c));
            points_attr(b, path);
        })
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        let (c, compact) = (style.color(), self.compact);
        self.element(c, "circle", |b| {
            int_attr(b, "cx", center.0 as i64);
            int_attr(b, "cy", center.1 as i64);
            int_attr(b, "r", radius as i64);
            paint(b, c, fill, compact);
            int_attr(b, "stroke-width", style.stroke_width() as i64);
        })
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Res {
        let c = style.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let (x, y) = pos;
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => "0.76em",
            VPos::Center => "0.5ex",
            VPos::Bottom => "-0.5ex",
        };
        let compact = self.compact;
        let b = &mut *self.buf;
        b.push_str("<text");
        int_attr(b, "x", x as i64);
        int_attr(b, "y", y as i64);
        attr(b, "dy", |b| b.push_str(dy));
        attr(b, "text-anchor", |b| b.push_str(anchor));
        let family = style.family();
        if !(compact && family.as_str() == COMPACT_FONT) {
            attr(b, "font-family", |b| escape_into(b, family.as_str()));
        }
        attr(b, "font-size", |b| float(b, style.size() / 1.24));
        opacity(b, c.alpha, compact);
        attr(b, "fill", |b| colour(b, c));
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => attr(b, "font-weight", |b| b.push_str("bold")),
            other => attr(b, "font-style", |b| escape_into(b, other.as_str())),
        }
        let degrees = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            _ => None,
        };
        if let Some(d) = degrees {
            attr(b, "transform", |b| {
                b.push_str("rotate(");
                int(b, d);
                b.push_str(", ");
                int(b, x as i64);
                b.push_str(", ");
                int(b, y as i64);
                b.push(')');
            });
        }
        // Plotters puts the text on a line of its own; SVG drops those
        // line breaks anyway.
        b.push_str(if compact { ">" } else { ">\n" });
        escape_into(b, text);
        b.push_str(if compact { "</text>\n" } else { "\n</text>\n" });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;
    use plotters::style::text_anchor::Pos;

    /// Draws every kind of element plotters can send to a backend.
    fn scene<DB: DrawingBackend>(backend: DB) -> Result<(), Box<dyn std::error::Error>>
    where
        DB::ErrorType: 'static,
    {
        let root = backend.into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Tom & \"Jerry\" <'s>", ("sans-serif", 18).into_font())
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(-3.5f64..120.0, -0.25f64..1e6)?;
        chart
            .configure_mesh()
            .y_desc("Value ≥ 0")
            .x_desc("x")
            .draw()?;
        chart.draw_series(LineSeries::new(vec![(0.0, 1.0), (50.0, 5e5)], RED))?;
        chart.draw_series(DashedLineSeries::new(
            vec![(0.0, 2.0), (100.0, 9e5)],
            5,
            3,
            ShapeStyle::from(&BLUE).stroke_width(2),
        ))?;
        chart.draw_series([Circle::new((10.0, 10.0), 4, GREEN.mix(0.37).filled())])?;
        chart.draw_series([Circle::new(
            (20.0, 10.0),
            4,
            ShapeStyle::from(&GREEN).stroke_width(3),
        )])?;
        chart.draw_series([Rectangle::new([(30.0, 0.0), (40.0, 3e5)], BLUE.filled())])?;
        chart.draw_series([Rectangle::new([(45.0, 0.0), (55.0, 3e5)], BLACK)])?;
        chart.draw_series([Polygon::new(vec![(1.0, 1.0), (9.0, 9e4), (5.0, 2e5)], RED)])?;
        chart.draw_series([Pixel::new((60.0, 4e5), BLACK)])?;
        let bold = ("serif", 13, FontStyle::Bold).into_font().color(&BLACK);
        root.draw(&Text::new("bold", (5, 5), bold))?;
        let italic = ("serif", 13, FontStyle::Italic)
            .into_font()
            .transform(FontTransform::Rotate90)
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Bottom));
        root.draw(&Text::new("turned", (50, 50), italic))?;
        let upside = ("x", 9).into_font().transform(FontTransform::Rotate180);
        root.draw(&Text::new("upside", (-5, 70), upside))?;
        root.draw(&Rectangle::new([(1, 1), (5, 5)], TRANSPARENT.filled()))?;
        root.present()?;
        Ok(())
    }

    #[test]
    fn same_bytes_as_plotters_svg() {
        let (mut ours, mut theirs) = (String::new(), String::new());
        scene(SvgString::with_string(&mut ours, (400, 300))).unwrap();
        scene(SVGBackend::with_string(&mut theirs, (400, 300))).unwrap();
        assert!(theirs.contains("<polygon") && theirs.contains("rotate(90"));
        assert_eq!(ours, theirs);
    }

    /// The compact form is the same drawing: the plotters output with only
    /// the defaults taken out and the font named once.
    #[test]
    fn compact_form_only_leaves_out_defaults() {
        let (mut compact, mut full) = (String::new(), String::new());
        scene(SvgString::compact(&mut compact, (400, 300))).unwrap();
        scene(SvgString::with_string(&mut full, (400, 300))).unwrap();
        assert!(compact.len() < full.len(), "{compact}");
        assert!(!compact.contains("opacity=\"1\""));
        assert!(compact.contains("opacity=\"0.37\""), "other opacities stay");
        let root = "xmlns=\"http://www.w3.org/2000/svg\">";
        let expected = full
            .replace(" opacity=\"1\"", "")
            .replace(" font-family=\"sans-serif\"", "")
            .replacen(
                root,
                "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\">",
                1,
            );
        // Line breaks apart, which SVG ignores around text.
        let normalise = |s: &str| s.replace(">\n", ">").replace("\n</text>", "</text>");
        assert_eq!(normalise(&compact), normalise(&expected));
    }

    #[test]
    fn integers_and_floats_print_as_display_does() {
        for v in [0i64, 7, -7, 10, 1234567, i64::MIN + 1, i64::MAX] {
            let mut s = String::new();
            int(&mut s, v);
            assert_eq!(s, v.to_string());
        }
        for v in [1.0f64, 0.1, 0.37, 14.516129032258064, 0.0] {
            let mut s = String::new();
            float(&mut s, v);
            assert_eq!(s, format!("{v}"));
        }
    }
}
