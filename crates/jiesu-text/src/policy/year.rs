//! The year a document was issued in (成文年份).

/// The year of the first full date ("2024年10月12日") in the text, else the year it names
/// most often (the earliest of equals); `None` when it names none.
pub fn document_year(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for i in 0..chars.len() {
        let Some(year) = year_at(&chars, i) else {
            continue;
        };
        if full_date_after(&chars, i + 5) {
            return Some(year);
        }
        match counts.iter_mut().find(|(y, _)| *y == year) {
            Some((_, n)) => *n += 1,
            None => counts.push((year, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(year, n)| (n, -year))
        .map(|(year, _)| year)
}

fn year_at(chars: &[char], i: usize) -> Option<i32> {
    let digits = chars.get(i..i + 4)?;
    let before_digit = i > 0 && chars[i - 1].is_ascii_digit();
    if before_digit || !digits.iter().all(char::is_ascii_digit) || chars.get(i + 4) != Some(&'年')
    {
        return None;
    }
    let year: i32 = digits.iter().collect::<String>().parse().ok()?;
    (1990..2100).contains(&year).then_some(year)
}

/// "10月12日" right after a year.
fn full_date_after(chars: &[char], at: usize) -> bool {
    let month = chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if month == 0 || month > 2 || chars.get(at + month) != Some(&'月') {
        return false;
    }
    let day_at = at + month + 1;
    let day = chars[day_at.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=2).contains(&day) && chars.get(day_at + day) == Some(&'日')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_date_wins() {
        assert_eq!(
            document_year("力争到 2035年… （2024年10月12日）"),
            Some(2024)
        );
        assert_eq!(
            document_year("2022年工作要点：2022年底前，2023年"),
            Some(2022)
        );
        assert_eq!(document_year("没有年份"), None);
    }
}
