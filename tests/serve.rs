//! `zirkel serve` over real HTTP on loopback: live reload events, changed content,
//! the error overlay and recovery, one rebuild per burst, and nothing served from
//! outside the output folder.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A running `zirkel serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _stopped = self.child.kill();
        let _reaped = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(f: &Fixture) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zirkel"))
        .args(["serve", "--port", &free_port().to_string()])
        .current_dir(&f.root)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(i) = line.find("http://") {
                let url = line[i + 7..].split('/').next().unwrap().to_string();
                let _ = tx.send(url);
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("serve prints its address");
    Server { child, addr }
}

/// A plain HTTP/1.1 request; returns status, headers (lower-case names) and body.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    extra: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = request(addr, "GET", path, "");
    (status, String::from_utf8_lossy(&body).to_string())
}

/// An open event stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /__zirkel/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut r = BufReader::new(s);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.contains(" 200"), "{line}");
        let mut ev = Events(r);
        assert_eq!(
            ev.next(Duration::from_secs(5)).map(|e| e.0),
            Some("hello".to_string())
        );
        ev
    }

    /// The next event (name, data) within `timeout`.
    fn next(&mut self, timeout: Duration) -> Option<(String, String)> {
        self.0.get_ref().set_read_timeout(Some(timeout)).unwrap();
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            match self.0.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let l = line.trim_end();
            if let Some(n) = l.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = l.strip_prefix("data: ") {
                data = d.to_string();
            } else if l.is_empty() && !name.is_empty() {
                return Some((name, data));
            }
        }
    }

    /// Every event until `quiet` passes without one.
    fn drain(&mut self, quiet: Duration) -> Vec<String> {
        let mut names = Vec::new();
        while let Some((n, _)) = self.next(quiet) {
            names.push(n);
        }
        names
    }
}

const WAIT: Duration = Duration::from_secs(10);

#[test]
fn editing_an_entry_reloads_the_browser_with_the_new_content() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let (status, body) = get(&s.addr, "/praxis/mietpaten.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("<script src=\"/__zirkel/reload.js\"></script>"),
        "reload script injected"
    );
    let mut ev = Events::open(&s.addr);
    let p = f.root.join("content/praxis/wohnen/mietpaten.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace(
            "title: Mietpaten aus dem Ehrenamt",
            "title: Mietpaten aus der Nachbarschaft",
        ),
    )
    .unwrap();
    assert_eq!(ev.next(WAIT).map(|e| e.0), Some("reload".into()));
    let (_, body) = get(&s.addr, "/praxis/mietpaten.html");
    assert!(body.contains("Mietpaten aus der Nachbarschaft"));
    // The files on disk are exactly what `zirkel build` writes: no reload script.
    assert!(!f.read("praxis/mietpaten.html").contains("__zirkel"));
}

#[test]
fn adding_deleting_and_renaming_entries_change_the_listings() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let mut ev = Events::open(&s.addr);
    f.write(
        "content/praxis/wohnen/neu.md",
        format!("{ENTRY_HEAD}---\n{SECTIONS}").replace("title: T", "title: Ganz neu"),
    );
    assert_eq!(ev.next(WAIT).map(|e| e.0), Some("reload".into()));
    assert!(get(&s.addr, "/feld/wohnen.html").1.contains("Ganz neu"));
    std::fs::rename(
        f.root.join("content/praxis/wohnen/neu.md"),
        f.root.join("content/praxis/arbeit/umbenannt.md"),
    )
    .unwrap();
    assert_eq!(ev.next(WAIT).map(|e| e.0), Some("reload".into()));
    ev.drain(Duration::from_millis(300));
    assert_eq!(get(&s.addr, "/praxis/neu.html").0, 404);
    assert_eq!(get(&s.addr, "/praxis/umbenannt.html").0, 200);
    f.remove("content/praxis/arbeit/umbenannt.md");
    assert_eq!(ev.next(WAIT).map(|e| e.0), Some("reload".into()));
    ev.drain(Duration::from_millis(300));
    assert!(!get(&s.addr, "/feld/wohnen.html").1.contains("Ganz neu"));
    assert_eq!(get(&s.addr, "/praxis/umbenannt.html").0, 404);
}

#[test]
fn a_broken_entry_shows_the_overlay_and_fixing_it_recovers() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let mut ev = Events::open(&s.addr);
    let p = f.root.join("content/praxis/wohnen/mietpaten.md");
    let good = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, good.replace("outcome: gemischt", "outcome: [gemischt")).unwrap();
    let (name, data) = ev.next(WAIT).unwrap();
    assert_eq!(name, "failed");
    let report: serde_json::Value = serde_json::from_str(&data).unwrap();
    let d = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(d["file"], "content/praxis/wohnen/mietpaten.md");
    assert!(d["line"].as_u64().unwrap() >= 5, "{d}");
    assert_eq!(report["title"], "Build fehlgeschlagen");
    // The last good site is still served, and new page loads learn about the error.
    assert!(get(&s.addr, "/praxis/mietpaten.html")
        .1
        .contains("Mietpaten aus dem Ehrenamt"));
    let state: serde_json::Value =
        serde_json::from_str(&get(&s.addr, "/__zirkel/state").1).unwrap();
    let codes: Vec<_> = state["error"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert!(codes.contains(&"Z0103".into()), "{codes:?}");
    std::fs::write(&p, good).unwrap();
    assert_eq!(ev.next(WAIT).map(|e| e.0), Some("reload".into()));
    let state: serde_json::Value =
        serde_json::from_str(&get(&s.addr, "/__zirkel/state").1).unwrap();
    assert!(state["error"].is_null());
}

#[test]
fn writing_300_files_at_once_rebuilds_at_most_twice() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let mut ev = Events::open(&s.addr);
    for i in 0..300 {
        f.write(
            &format!("content/praxis/masse/eintrag-{i}.md"),
            format!("{ENTRY_HEAD}---\n{SECTIONS}")
                .replace("title: T", &format!("title: Eintrag {i}")),
        );
    }
    let first = ev.next(WAIT).expect("a rebuild");
    let mut events = vec![first.0];
    events.extend(ev.drain(Duration::from_secs(3)));
    assert!(!events.is_empty() && events.len() <= 2, "{events:?}");
    assert_eq!(events.last().unwrap(), "reload");
    assert_eq!(get(&s.addr, "/praxis/eintrag-299.html").0, 200);
}

#[test]
fn nothing_outside_the_output_is_served() {
    let f = Fixture::new("basic");
    f.write("geheim.txt", "geheim");
    let s = serve(&f);
    for path in [
        "/../zirkel.yaml",
        "/%2e%2e/zirkel.yaml",
        "/praxis/%2E%2E/%2E%2E/geheim.txt",
        "/..%2fgeheim.txt",
    ] {
        let (status, body) = get(&s.addr, path);
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("geheim") && !body.contains("fields:"),
            "{path} leaked"
        );
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(f.root.join("geheim.txt"), f.out().join("link.txt")).unwrap();
        let (status, body) = get(&s.addr, "/link.txt");
        assert_eq!(status, 403);
        assert!(!body.contains("geheim"));
    }
}

#[test]
fn http_semantics_content_types_404_head_and_conditional_requests() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let header =
        |h: &[(String, String)], n: &str| h.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let (status, h, _) = request(&s.addr, "GET", "/static/style.css", "");
    assert_eq!(status, 200);
    assert_eq!(
        header(&h, "content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    let etag = header(&h, "etag").expect("etag");
    let (status, _, body) = request(
        &s.addr,
        "GET",
        "/static/style.css",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!((status, body.len()), (304, 0));
    let (status, h, body) = request(&s.addr, "HEAD", "/index.html", "");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert!(
        header(&h, "content-length")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            > 1000
    );
    let (status, body) = get(&s.addr, "/gibt-es-nicht.html");
    assert_eq!(status, 404);
    assert!(
        body.contains("Seite nicht gefunden"),
        "the site's own 404 page"
    );
    assert_eq!(
        header(&request(&s.addr, "GET", "/atom.xml", "").1, "content-type").as_deref(),
        Some("application/xml; charset=utf-8")
    );
}

#[test]
fn after_edits_the_served_output_equals_a_fresh_full_build() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let mut ev = Events::open(&s.addr);
    let step = |ev: &mut Events, what: &str| {
        assert_eq!(
            ev.next(WAIT).map(|e| e.0),
            Some("reload".into()),
            "after {what}"
        );
        ev.drain(Duration::from_millis(300));
    };
    f.write(
        "content/praxis/wohnen/a.md",
        format!("{ENTRY_HEAD}---\n{SECTIONS}").replace("title: T", "title: A"),
    );
    step(&mut ev, "add");
    let p = f.root.join("content/praxis/wohnen/mietpaten.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("tags: [Wohnraum, Ehrenamt]", "tags: [Wohnraum, Neu]"),
    )
    .unwrap();
    step(&mut ev, "edit");
    std::fs::rename(
        f.root.join("content/praxis/wohnen/a.md"),
        f.root.join("content/praxis/arbeit/b.md"),
    )
    .unwrap();
    step(&mut ev, "rename");
    f.remove("content/praxis/arbeit/jobmesse.md");
    step(&mut ev, "delete");
    let fresh = f.root.join("frisch");
    let out = f.cli(&["build", "--output", fresh.to_str().unwrap()]);
    assert!(out.status.success());
    // Pages are written before the reload; feeds, exports and the search index follow
    // in the background: wait for them, then everything must be equal.
    let differences = || {
        let served = files(&f.out());
        if served != files(&fresh) {
            return vec![format!("file lists differ: {served:?}")];
        }
        served
            .into_iter()
            .filter(|p| {
                std::fs::read(f.out().join(p)).unwrap() != std::fs::read(fresh.join(p)).unwrap()
            })
            .collect::<Vec<_>>()
    };
    let started = Instant::now();
    let mut left = differences();
    while !left.is_empty() && started.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(200));
        left = differences();
    }
    assert!(left.is_empty(), "differ from a fresh full build: {left:?}");
}

#[test]
fn the_server_answers_quickly_while_a_rebuild_runs() {
    let f = Fixture::new("basic");
    let s = serve(&f);
    let t = Instant::now();
    assert_eq!(get(&s.addr, "/index.html").0, 200);
    assert!(t.elapsed() < WAIT);
}
