//! Table: a plain terminal table that lines up Chinese text (double-width
//! characters) and cuts over-long cells.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

const MAX_CELL: usize = 60;

pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn clip(s: &str) -> String {
    if s.width() <= MAX_CELL {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + 2 > MAX_CELL - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

impl Table {
    pub fn new(headers: Vec<String>, rows: Vec<Vec<String>>) -> Table {
        let rows = rows
            .into_iter()
            .map(|r| r.iter().map(|c| clip(c)).collect())
            .collect();
        Table { headers, rows }
    }

    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.width());
            }
        }
        let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
            let mut s = String::new();
            for (i, w) in widths.iter().enumerate() {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                s.push_str(c);
                if i + 1 < n {
                    s.push_str(&" ".repeat(w - c.width() + 2));
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(out, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(out, &rule)?;
        for r in &self.rows {
            line(out, r)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_with_wide_characters() {
        let t = Table::new(
            vec!["a".into(), "b".into()],
            vec![
                vec!["张三".into(), "x".into()],
                vec!["ab".into(), "y".into()],
            ],
        );
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2].width(), lines[3].width());
    }
}
