//! Serve: one process owns the store and answers over HTTP — a SPARQL 1.1
//! Protocol endpoint at `/sparql` for clients and notebooks, and the analysts'
//! workbench (search, entity pages with evidence, query editor, maps) at `/`.
//!
//! Read-only unless [`ServeOptions::with_updates_allowed`]; every query runs
//! under a time limit and a result-size limit, and request bodies over a size
//! limit are refused with 413 before they are read.

mod protocol;
mod workbench;

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oxhttp::model::header::{self, HeaderValue};
use oxhttp::model::{Body, Method, Request, Response, StatusCode};

use crate::store::GraphStore;

/// Limits and switches of a server. Builder-style:
/// `ServeOptions::default().with_timeout(Duration::from_secs(5))`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    timeout: Duration,
    max_rows: usize,
    max_body_bytes: u64,
    allow_update: bool,
    cors_origin: Option<String>,
    max_connections: usize,
    /// Words that make a post title one several people hold (the lexicon's
    /// `shared-post` role), for the changes page.
    shared_post_words: Vec<String>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            timeout: Duration::from_secs(30),
            max_rows: 100_000,
            max_body_bytes: 8 * 1024 * 1024,
            allow_update: false,
            cors_origin: None,
            max_connections: 64,
            shared_post_words: crate::lexicon::GenreWords::builtin().shared_post,
        }
    }
}

impl ServeOptions {
    /// The longest a query may run before it is cancelled (503).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// The most rows (or triples) a query may return (422 beyond).
    pub fn with_max_rows(mut self, max_rows: usize) -> Self {
        self.max_rows = max_rows;
        self
    }
    /// The largest request body accepted (413 beyond).
    pub fn with_max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }
    /// Accept SPARQL updates (refused with 403 otherwise).
    pub fn with_updates_allowed(mut self, allowed: bool) -> Self {
        self.allow_update = allowed;
        self
    }
    /// Send CORS headers allowing this origin (`*` for any); none by default.
    pub fn with_cors_origin(mut self, origin: Option<String>) -> Self {
        self.cors_origin = origin;
        self
    }
    pub fn with_max_connections(mut self, n: usize) -> Self {
        self.max_connections = n.max(1);
        self
    }
    /// The lexicon's `shared-post` words (the built-in lexicon's by default).
    pub fn with_shared_post_words(mut self, words: Vec<String>) -> Self {
        self.shared_post_words = words;
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Stopped(std::io::Error),
}

/// What every request handler sees.
struct App {
    store: GraphStore,
    options: ServeOptions,
    /// Queries evaluating now, including any still computing after their 503.
    running_queries: Arc<std::sync::atomic::AtomicUsize>,
}

/// A server listening in its own threads.
pub struct Running(oxhttp::ListeningServer);

impl Running {
    /// Blocks until the server stops (normally never).
    pub fn join(self) -> Result<(), ServeError> {
        self.0.join().map_err(ServeError::Stopped)
    }
}

/// Starts serving `store` on `addr`; returns once the address is bound.
pub fn start(
    store: GraphStore,
    addr: SocketAddr,
    options: ServeOptions,
) -> Result<Running, ServeError> {
    let app = Arc::new(App {
        store,
        options: options.clone(),
        running_queries: Arc::default(),
    });
    oxhttp::Server::new(move |request| app.respond(request))
        .bind(addr)
        .with_global_timeout(options.timeout + Duration::from_secs(30))
        .with_max_concurrent_connections(options.max_connections)
        .spawn()
        .map(Running)
        .map_err(|source| ServeError::Bind { addr, source })
}

impl App {
    fn respond(&self, request: &mut Request<Body>) -> Response<Body> {
        let mut response = if request.method() == Method::OPTIONS {
            Response::builder()
                .status(StatusCode::NO_CONTENT)
                .body(Body::empty())
                .expect("valid response")
        } else {
            self.route(request)
        };
        if let Some(origin) = &self.options.cors_origin {
            if let Ok(v) = HeaderValue::from_str(origin) {
                let h = response.headers_mut();
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, POST, OPTIONS"),
                );
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("Content-Type, Accept"),
                );
            }
        }
        response
    }

    fn route(&self, request: &mut Request<Body>) -> Response<Body> {
        let path = request.uri().path().to_string();
        let params = query_params(request.uri().query().unwrap_or(""));
        match (request.method().clone(), path.as_str()) {
            (_, "/sparql") => protocol::handle(self, request, params),
            (Method::GET | Method::HEAD, page) => workbench::page(self, page, &params),
            _ => text(StatusCode::METHOD_NOT_ALLOWED, "only GET on this path"),
        }
    }

    /// Reads the request body, refusing (413) one over the size limit before reading it.
    fn read_body(&self, request: &mut Request<Body>) -> Result<Vec<u8>, Refusal> {
        let limit = self.options.max_body_bytes;
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let too_large = || Refusal {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("the request body is larger than the limit of {limit} bytes"),
        };
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        request
            .body_mut()
            .take(limit + 1)
            .read_to_end(&mut body)
            .map_err(|e| Refusal {
                status: StatusCode::BAD_REQUEST,
                message: format!("reading the body: {e}"),
            })?;
        if body.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(body)
    }
}

/// A request refused with a status and a message saying why.
struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn into_response(self) -> Response<Body> {
        text(self.status, &self.message)
    }
}

/// A query's failure as the client sees it: its fault (400), a limit it hit
/// (503, 422, 406), or ours (500).
impl From<crate::query::QueryError> for Refusal {
    fn from(e: crate::query::QueryError) -> Refusal {
        use crate::query::QueryError;
        let status = match &e {
            QueryError::Syntax(_) => StatusCode::BAD_REQUEST,
            QueryError::Timeout(_) => StatusCode::SERVICE_UNAVAILABLE,
            QueryError::TooManyRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            QueryError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            QueryError::Evaluation(_) | QueryError::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Refusal {
            status,
            message: e.to_string(),
        }
    }
}

/// Decoded `application/x-www-form-urlencoded` pairs (also a URL's query string).
type Params = Vec<(String, String)>;

fn query_params(s: &str) -> Params {
    form_urlencoded::parse(s.as_bytes()).into_owned().collect()
}

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(format!("{message}\n")))
        .expect("valid response")
}

fn content(status: StatusCode, media_type: &str, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, media_type)
        .body(body.into())
        .expect("valid response")
}
