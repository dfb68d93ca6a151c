//! Small charts drawn as SVG on the server (no script, no CDN): a column chart for a trend
//! and horizontal bars for a mix or a ranking.

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
    }
}
