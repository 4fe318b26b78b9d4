//! How long the LAC model takes on one thread: model load, the first sentence
//! of a new length, and then ms per sentence for lengths of about 30, 100, 300
//! and 700 chars.
//!
//! `cargo run --release --example lac_speed [MODEL_DIR]` (default `models/lac`).

use std::path::PathBuf;
use std::time::Instant;

use govkg::extract::lac::Lac;

const TEXT: &str = "2024年6月12日，深圳市人民政府新闻办公室举行新闻发布会，\
市发展和改革委员会副主任刘建平介绍了全市上半年经济运行情况。他表示，今年以来，\
全市上下坚持稳中求进工作总基调，经济运行总体平稳、稳中有进。福田区委书记张海涛、\
南山区区长李明华分别介绍了本区在推动产业升级、优化营商环境方面的主要做法。";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("models/lac"), PathBuf::from);
    let start = Instant::now();
    let lac = Lac::load(&dir)?;
    println!("load: {:.0} ms", ms(start));

    let chars: Vec<char> = TEXT.chars().cycle().take(2000).collect();
    for len in [30, 100, 300, 700] {
        let text: String = chars[..len].iter().collect();
        let start = Instant::now();
        lac.analyse(&text)?;
        let first = ms(start);
        let runs = (3000 / len).max(10);
        let start = Instant::now();
        for _ in 0..runs {
            lac.analyse(&text)?;
        }
        println!(
            "{len:>4} chars: {:7.2} ms/sentence ({runs} runs; first call {first:.1} ms)",
            ms(start) / runs as f64
        );
    }
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
