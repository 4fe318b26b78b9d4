//! Prints Oxigraph's plan for a query, with statistics, after running it over
//! the union default graph of a store (a tool for shaping cookbook queries):
//!
//! `cargo run --release --example explain -- STORE QUERY.rq [VAR=VALUE]…`
//!
//! Values are bound as `govkg query --bind` binds them.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, store, file, bindings @ ..] = args.as_slice() else {
        return Err("usage: explain STORE QUERY.rq [VAR=VALUE]…".into());
    };
    let store = oxigraph::store::Store::open(store)?;
    let text = std::fs::read_to_string(file)?;
    let mut query = spargebra::SparqlParser::new().parse_query(&text)?;
    let mut values = Vec::new();
    for b in bindings {
        let (name, value) = b.split_once('=').ok_or("expected VAR=VALUE")?;
        values.push((name.to_string(), govkg::query::parse_binding(value)));
    }
    govkg::query::bind_values(&mut query, &values)?;
    let mut prepared = oxigraph::sparql::SparqlEvaluator::new().for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    let started = std::time::Instant::now();
    let (results, explanation) = prepared.on_store(&store).compute_statistics().explain();
    let mut rows = 0;
    if let oxigraph::sparql::QueryResults::Solutions(solutions) = results? {
        for s in solutions {
            s?;
            rows += 1;
        }
    }
    eprintln!("{rows} rows in {:?}", started.elapsed());
    println!("{explanation:?}");
    Ok(())
}
