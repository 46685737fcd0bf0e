//! The preview server: serves the output folder over HTTP on loopback, injects the
//! live-reload script into HTML responses (the files on disk stay exactly what
//! `zirkel build` writes), streams reload and error events to browsers
//! (Server-Sent Events), and never serves anything outside the output folder.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tiny_http::{Header, Method, Request, Response, Server};

/// Paths the server answers itself, never from the output folder.
pub const RELOAD_JS: &str = "/__zirkel/reload.js";
pub const OVERLAY_CSS: &str = "/__zirkel/overlay.css";
pub const EVENTS: &str = "/__zirkel/events";
pub const STATE: &str = "/__zirkel/state";

const RELOAD_SCRIPT: &str = include_str!("../themes/serve/reload.js");
const OVERLAY_STYLE: &str = include_str!("../themes/serve/overlay.css");

/// What browsers learn about builds: a generation that changes with every good
/// build, and the diagnostics of a failed one.
#[derive(Default)]
pub struct Live {
    generation: AtomicU64,
    /// JSON of the last failed build's diagnostics; `None` while builds succeed.
    error: Mutex<Option<String>>,
    clients: Mutex<Vec<SyncSender<String>>>,
}

impl Live {
    pub fn new(start: u64) -> Arc<Live> {
        Arc::new(Live {
            generation: AtomicU64::new(start),
            ..Live::default()
        })
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A good build: clear the error and tell every browser to reload.
    pub fn built(&self) {
        let g = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(mut e) = self.error.lock() {
            *e = None;
        }
        self.send(&format!("event: reload\ndata: {g}\n\n"));
    }

    /// A failed build: keep the last good site, show the diagnostics.
    pub fn failed(&self, diagnostics_json: String) {
        let data = diagnostics_json.replace('\n', " ");
        if let Ok(mut e) = self.error.lock() {
            *e = Some(data.clone());
        }
        self.send(&format!("event: failed\ndata: {data}\n\n"));
    }

    fn state_json(&self) -> String {
        let error = self
            .error
            .lock()
            .ok()
            .and_then(|e| e.clone())
            .unwrap_or_else(|| "null".into());
        format!("{{\"generation\":{},\"error\":{error}}}", self.generation())
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = sync_channel(16);
        if let Ok(mut c) = self.clients.lock() {
            c.push(tx);
        }
        rx
    }

    fn send(&self, event: &str) {
        if let Ok(mut clients) = self.clients.lock() {
            // A client that went away or stopped reading is dropped.
            clients.retain(|c| c.try_send(event.to_string()).is_ok());
        }
    }
}

/// Where a request path leads inside the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    NotFound,
    Forbidden,
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a URL path to a file under `root`: percent-decoded, no `..`, no absolute
/// parts, and after resolving symlinks still inside `root`. Folders serve their
/// `index.html`.
pub fn resolve(root: &Path, url_path: &str) -> Target {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path) else {
        return Target::Forbidden;
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Target::Forbidden;
    }
    let mut rel = PathBuf::new();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => rel.push(p),
            Component::CurDir => {}
            _ => return Target::Forbidden,
        }
    }
    let mut full = root.join(&rel);
    if full.is_dir() {
        full = full.join("index.html");
    }
    let (Ok(real), Ok(real_root)) = (full.canonicalize(), root.canonicalize()) else {
        return Target::NotFound;
    };
    if !real.starts_with(&real_root) {
        return Target::Forbidden;
    }
    if real.is_file() {
        Target::File(real)
    } else {
        Target::NotFound
    }
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("static header names and ASCII values")
}

/// Adds the live-reload script to an HTML page, before `</body>`.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!(
        "<link rel=\"stylesheet\" href=\"{OVERLAY_CSS}\"><script src=\"{RELOAD_JS}\"></script>"
    );
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// An entity tag from size and modification time: cheap and changes with every write.
fn etag(meta: &std::fs::Metadata) -> String {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("\"{:x}-{:x}\"", meta.len(), mtime)
}

fn request_header<'a>(req: &'a Request, name: &'static str) -> Option<&'a str> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Answers one request. Runs on its own thread: event streams stay open.
pub fn handle(req: Request, out: &Path, live: &Live) {
    let url = req.url().to_string();
    let path = url.split('?').next().unwrap_or("").to_string();
    let respond = |req: Request, r: Response<std::io::Cursor<Vec<u8>>>| {
        // A browser that closed the connection early needs no answer.
        let _gone = req.respond(r);
    };
    if !matches!(req.method(), Method::Get | Method::Head) {
        respond(
            req,
            Response::from_string("")
                .with_status_code(405)
                .with_header(header("Allow", "GET, HEAD")),
        );
        return;
    }
    match path.as_str() {
        RELOAD_JS => {
            let r = Response::from_string(RELOAD_SCRIPT)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store"));
            respond(req, r);
        }
        OVERLAY_CSS => {
            let r = Response::from_string(OVERLAY_STYLE)
                .with_header(header("Content-Type", "text/css; charset=utf-8"))
                .with_header(header("Cache-Control", "no-store"));
            respond(req, r);
        }
        STATE => {
            let r = Response::from_string(live.state_json())
                .with_header(header("Content-Type", "application/json"))
                .with_header(header("Cache-Control", "no-store"));
            respond(req, r);
        }
        EVENTS => stream_events(req, live),
        _ => serve_file(req, out, &path),
    }
}

fn serve_file(req: Request, out: &Path, path: &str) {
    let head = *req.method() == Method::Head;
    let (status, file) = match resolve(out, path) {
        Target::File(f) => (200, Some(f)),
        Target::Forbidden => (403, None),
        Target::NotFound => (404, Some(out.join("404.html")).filter(|p| p.is_file())),
    };
    let Some(file) = file else {
        let _gone = req.respond(
            Response::from_string(if status == 403 { "403" } else { "404" })
                .with_status_code(status),
        );
        return;
    };
    let meta = std::fs::metadata(&file).ok();
    let tag = meta.as_ref().map(etag);
    if status == 200 {
        if let (Some(tag), Some(sent)) = (&tag, request_header(&req, "If-None-Match")) {
            if sent.split(',').any(|t| t.trim() == tag || t.trim() == "*") {
                let _gone = req.respond(Response::empty(304).with_header(header("ETag", tag)));
                return;
            }
        }
    }
    let Ok(mut bytes) = std::fs::read(&file) else {
        let _gone = req.respond(Response::from_string("404").with_status_code(404));
        return;
    };
    let ctype = content_type(&file);
    if ctype.starts_with("text/html") {
        bytes = inject(&bytes);
    }
    let mut r = Response::from_data(if head { Vec::new() } else { bytes.clone() })
        .with_status_code(status)
        .with_header(header("Content-Type", ctype))
        .with_header(header("Cache-Control", "no-cache"));
    if head {
        r = r.with_header(header("Content-Length", &bytes.len().to_string()));
    }
    if let (Some(tag), 200) = (tag, status) {
        r = r.with_header(header("ETag", &tag));
    }
    let _gone = req.respond(r);
}

/// A Server-Sent Events stream: written straight to the socket, flushed per event,
/// with a comment every 15 s so dead connections are noticed.
fn stream_events(req: Request, live: &Live) {
    let rx = live.subscribe();
    let response = Response::empty(200)
        .with_header(header("Content-Type", "text/event-stream"))
        .with_header(header("Cache-Control", "no-store"));
    let mut stream = req.upgrade("text/event-stream", response);
    let hello = format!("retry: 500\nevent: hello\ndata: {}\n\n", live.state_json());
    if stream
        .write_all(hello.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream
            .write_all(msg.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Binds `addr:port`, or the next free port up to 100 above it.
pub fn bind(addr: &str, port: u16) -> Result<Server, String> {
    let mut last = String::new();
    for p in port..=port.saturating_add(100) {
        match Server::http((addr, p)) {
            Ok(s) => return Ok(s),
            Err(e) => last = e.to_string(),
        }
        if port == 0 {
            break;
        }
    }
    Err(last)
}

/// Accepts requests until the process ends, one thread per request.
pub fn run(server: Server, out: PathBuf, live: Arc<Live>) {
    for req in server.incoming_requests() {
        let out = out.clone();
        let live = live.clone();
        std::thread::spawn(move || handle(req, &out, &live));
    }
}

/// Reads everything from a reader (used by tests of streamed responses).
pub fn read_all(mut r: impl Read) -> Vec<u8> {
    let mut v = Vec::new();
    let _partial = r.read_to_end(&mut v);
    v
}

/// Seconds since the epoch, as a start value for generations that differs between
/// server runs, so a reconnecting browser notices a restart and reloads.
pub fn start_generation() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("site/praxis")).unwrap();
        std::fs::write(d.path().join("site/index.html"), "<body>x</body>").unwrap();
        std::fs::write(d.path().join("site/praxis/a b.html"), "a").unwrap();
        std::fs::write(d.path().join("secret.txt"), "geheim").unwrap();
        d
    }

    #[test]
    fn paths_resolve_inside_the_output_only() {
        let d = site();
        let root = d.path().join("site");
        assert!(matches!(resolve(&root, "/"), Target::File(p) if p.ends_with("index.html")));
        assert!(matches!(
            resolve(&root, "/praxis/a%20b.html"),
            Target::File(_)
        ));
        assert_eq!(resolve(&root, "/../secret.txt"), Target::Forbidden);
        assert_eq!(resolve(&root, "/%2e%2e/secret.txt"), Target::Forbidden);
        assert_eq!(
            resolve(&root, "/praxis/%2E%2E/%2E%2E/secret.txt"),
            Target::Forbidden
        );
        assert_eq!(resolve(&root, "/..%5csecret.txt"), Target::Forbidden);
        assert_eq!(resolve(&root, "/fehlt.html"), Target::NotFound);
        assert_eq!(resolve(&root, "/%zz"), Target::Forbidden);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_pointing_outside_is_forbidden() {
        let d = site();
        let root = d.path().join("site");
        std::os::unix::fs::symlink(d.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Target::Forbidden);
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_body() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.contains("<script src=\"/__zirkel/reload.js\"></script></body>"));
    }
}
