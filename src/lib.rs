//! govkg turns Chinese local-government news into a knowledge graph that
//! analysts can query, draw and cite.
//!
//! The pipeline reads in order: [`source`] (files, front matter, encodings) →
//! [`text`] (sentences and offsets) → [`extract`] (mentions, events) →
//! [`resolve`] (identities) → [`rdf`] (quads with provenance) → [`store`],
//! where [`identity`] joins a batch's people to the store's;
//! then [`query`], [`graph`] and [`trace`]; [`changes`] and [`brief`] read
//! what changed and what a week held; [`serve`] answers over HTTP.
//! [`ingest`] runs the pipeline over a batch; [`timing`] measures the queries.

pub mod brief;
pub mod changes;
pub mod extract;
pub mod gazetteer;
pub mod generate;
pub mod graph;
pub mod identity;
pub mod ingest;
pub mod lexicon;
pub mod query;
pub mod rdf;
pub mod resolve;
pub mod serve;
pub mod shapes;
pub mod source;
pub mod store;
pub mod table;
pub mod text;
pub mod timing;
pub mod trace;
