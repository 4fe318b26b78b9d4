//! Prints a briefing's HTML to PDF with headless Chromium (print-to-PDF), the
//! browser `scripts/setup.sh` installs: a maintained engine lays out the CJK
//! text, the tables and the SVG exactly as the HTML file shows them.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("no Chromium to print the PDF with (looked for GOVKG_CHROMIUM, chromium, chromium-browser, google-chrome on PATH; scripts/setup.sh installs it)")]
    NoBrowser,
    #[error("{browser} could not print the PDF: {message}")]
    Browser { browser: String, message: String },
    #[error("writing the PDF's HTML to a temporary file")]
    Io(#[from] std::io::Error),
}

/// The browser: `GOVKG_CHROMIUM`, else the first Chromium or Chrome on PATH.
pub fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GOVKG_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let paths = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&paths).map(move |d| d.join(name)))
    .find(|p| p.is_file())
}

/// How Chromium runs here: headless, offline, with nothing of a user's
/// profile. Root (containers, CI) cannot start Chromium's sandbox; the page is
/// our own file, with no script.
pub const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Writes `html` as a PDF to `out`.
pub fn print(html: &str, out: &Path) -> Result<(), PdfError> {
    let browser = browser().ok_or(PdfError::NoBrowser)?;
    // A fresh private folder for the page and the browser's profile, created
    // atomically under a random name and removed when dropped (on every return).
    let scratch = tempfile::Builder::new().prefix("govkg-brief-").tempdir()?;
    let page = scratch.path().join("brief.html");
    std::fs::write(&page, html)?;
    let out = std::path::absolute(out)?;
    let output = Command::new(&browser)
        .args(HEADLESS)
        .arg("--no-pdf-header-footer")
        .arg(format!(
            "--user-data-dir={}",
            scratch.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .output()?;
    let printed = std::fs::metadata(&out)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if !output.status.success() || !printed {
        return Err(PdfError::Browser {
            browser: browser.display().to_string(),
            message: last_line(&String::from_utf8_lossy(&output.stderr)),
        });
    }
    Ok(())
}

fn last_line(stderr: &str) -> String {
    stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no PDF was written")
        .to_string()
}
