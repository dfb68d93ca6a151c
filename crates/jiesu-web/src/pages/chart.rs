//! Small charts drawn as SVG on the server (no script, no CDN): a column chart for a trend,
//! horizontal bars for a mix or a ranking, and lines for a curve.

use std::fmt::Write;

/// Escapes text for SVG/XML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A column chart of `(label, value)`; every `label_every`-th label is written under the axis.
pub fn columns(title: &str, points: &[(String, i64)], label_every: usize) -> String {
    let (w, h, left, bottom, top) = (1200.0, 260.0, 40.0, 28.0, 16.0);
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let step = nice_step(max);
    let top_value = (max + step - 1) / step * step;
    let plot_h = h - bottom - top;
    let slot = (w - left - 8.0) / points.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    let mut v = 0;
    while v <= top_value {
        let y = top + plot_h - plot_h * v as f64 / top_value as f64;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e8ef"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#5b6675">{v}</text>"##,
            w - 8.0,
            left - 6.0,
            y + 4.0
        );
        v += step;
    }
    for (i, (label, value)) in points.iter().enumerate() {
        let bh = plot_h * *value as f64 / top_value as f64;
        let x = left + slot * i as f64 + slot * 0.15;
        let y = top + plot_h - bh;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="#1f5fbf" rx="2"><title>{}：{value} 件</title></rect>"##,
            slot * 0.7,
            esc(label)
        );
        if label_every > 0 && (i % label_every == 0 || i + 1 == points.len()) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#5b6675">{}</text>"##,
                x + slot * 0.35,
                h - 8.0,
                esc(label)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars of `(label, value)`, largest first as given.
pub fn bars(title: &str, items: &[(String, i64)]) -> String {
    let (w, row, left) = (480.0, 26.0, 130.0);
    let h = row * items.len().max(1) as f64 + 8.0;
    let max = items.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let bw = (w - left - 50.0) * *value as f64 / max as f64;
        let short: String = label.chars().take(9).collect();
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="#1d2733">{}</text><rect x="{left}" y="{:.1}" width="{bw:.1}" height="{:.1}" fill="#2f7d6d" rx="2"><title>{}：{value} 件</title></rect><text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2733">{value}</text>"##,
            left - 8.0,
            y + 16.0,
            esc(&short),
            y + 3.0,
            row - 8.0,
            esc(label),
            left + bw + 6.0,
            y + 16.0
        );
    }
    s.push_str("</svg>");
    s
}

/// One line of [`lines`]: its name, colour and `(x, y)` points, both in 0–1.
pub struct Series<'a> {
    pub name: &'a str,
    pub colour: &'a str,
    pub points: Vec<(f64, f64)>,
}

/// Lines over a 0–100 % x axis and a y axis from `y_min` to 100 % (e.g. the operating
/// curve: share dispatched on their own against precision), with a legend.
pub fn lines(title: &str, x_label: &str, y_label: &str, y_min: f64, series: &[Series]) -> String {
    let (w, h, left, bottom, top, right) = (640.0, 300.0, 52.0, 40.0, 28.0, 12.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let x_of = |x: f64| left + pw * x.clamp(0.0, 1.0);
    let y_of = |y: f64| top + ph - ph * ((y - y_min) / (1.0 - y_min)).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for i in 0..=5 {
        let y = y_min + (1.0 - y_min) * f64::from(i) / 5.0;
        let x = f64::from(i) / 5.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#e3e8ef"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#5b6675">{:.0}%</text><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#5b6675">{:.0}%</text>"##,
            w - right,
            y_of(y),
            y_of(y),
            left - 6.0,
            y_of(y) + 4.0,
            y * 100.0,
            x_of(x),
            top + ph + 16.0,
            x * 100.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#1d2733">{}</text><text x="12" y="{:.1}" font-size="12" fill="#1d2733" transform="rotate(-90 12 {:.1})" text-anchor="middle">{}</text>"##,
        left + pw / 2.0,
        h - 4.0,
        esc(x_label),
        top + ph / 2.0,
        top + ph / 2.0,
        esc(y_label)
    );
    for (i, line) in series.iter().enumerate() {
        let points: Vec<String> = line
            .points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", x_of(x), y_of(y)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"><title>{}</title></polyline><rect x="{:.1}" y="8" width="14" height="4" fill="{}"/><text x="{:.1}" y="14" font-size="12" fill="#1d2733">{}</text>"##,
            esc(line.colour),
            points.join(" "),
            esc(line.name),
            left + 8.0 + 160.0 * i as f64,
            esc(line.colour),
            left + 26.0 + 160.0 * i as f64,
            esc(line.name)
        );
    }
    s.push_str("</svg>");
    s
}

/// A round step for the value axis (1, 2, 5 × 10ⁿ) giving at most about five lines.
fn nice_step(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if max / (step * m) <= 5 {
                return step * m;
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels() {
        let svg = bars("分类", &[("<x>".into(), 3)]);
        assert!(svg.contains("&lt;x&gt;") && !svg.contains("<x>"));
        let svg = columns("趋势", &[("1日".into(), 0), ("2日".into(), 7)], 1);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(230), 50);
        let svg = lines(
            "曲线",
            "x",
            "y",
            0.8,
            &[Series {
                name: "<m>",
                colour: "#1f5fbf",
                points: vec![(0.0, 1.0), (1.0, 0.9)],
            }],
        );
        assert!(svg.contains("&lt;m&gt;") && svg.contains("polyline"));
    }
}
