//! The storage floor for benchmarks: Oxigraph's own bulk loader loading an
//! N-Quads file into an empty store, nothing else; then the store compacted
//! (Oxigraph's `optimize`), as `govkg ingest` compacts a first load. Prints
//! the seconds of each: `LOAD COMPACTION`.
//!
//! `cargo run --release --example floor -- STORE_DIR FILE.nq`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = match args.as_slice() {
        [_, dir, file] => (dir, file),
        _ => return Err("usage: floor STORE_DIR FILE.nq".into()),
    };
    let started = Instant::now();
    let store = oxigraph::store::Store::open(dir)?;
    let mut loader = store.bulk_loader();
    if let Ok(mb) = std::env::var("FLOOR_MB") {
        loader = loader.with_max_memory_size_in_megabytes(mb.parse()?);
    }
    loader.load_from_reader(
        oxigraph::io::RdfFormat::NQuads,
        std::io::BufReader::new(std::fs::File::open(file)?),
    )?;
    loader.commit()?;
    let loaded = started.elapsed().as_secs_f64();
    let started = Instant::now();
    store.optimize()?;
    println!("{loaded:.3} {:.3}", started.elapsed().as_secs_f64());
    Ok(())
}
